package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.resumo.train.fake.CrashPoint;
import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.track.LocalTracker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that died at a chosen instant (the states a kill -9 leaves, put there the same way every
 * time by {@link CrashPoint}), then continued with --resume auto, ends as the run that was never
 * stopped: same weights, each step's line in metrics.jsonl once, the same best evaluation in
 * evaluation.json and the model card, nothing temporary left. Each case is one a kill -9 fuzz of
 * `resumo train` found (the fuzz: 60-odd kills in every phase of a run, against the uninterrupted run).
 */
class KilledRunResumeTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    private static TrainResult straight(Path run, Map<String, Object> settings) throws IOException {
        return FakeRun.run(FakeRun.config(run, settings), 0, -1, StopSignal.manual(), QUIET, w -> {});
    }

    private static TrainResult resume(Path run, Map<String, Object> settings) throws IOException {
        Map<String, Object> m = new HashMap<>(settings);
        m.put("resume", "auto");
        return FakeRun.run(FakeRun.config(run, m), 0, -1, StopSignal.manual(), QUIET, w -> {});
    }

    /** The run crashes (as a kill would) once step {@code step}'s training line is logged. */
    private static void crashAfterTrainLine(Path run, Map<String, Object> settings, long step) {
        assertThrows(CrashPoint.Crash.class, () -> FakeRun.run(FakeRun.config(run, settings), 0, -1, StopSignal.manual(), QUIET,
                w -> {}, dir -> CrashPoint.afterTrainLine(new LocalTracker(dir), step, CrashPoint.crash())));
    }

    @Test
    void temporaryFilesOfAKilledProcessAreClearedByTheResume(@TempDir Path tmp) throws Exception {
        Map<String, Object> settings = Map.of("max-steps", 20, "log-steps", 1);
        straight(tmp.resolve("straight"), settings);
        Path run = tmp.resolve("killed");
        crashAfterTrainLine(run, settings, 12);
        // What kill -9 leaves mid-write: the temporary siblings of files replaced whole (another
        // process's pid in their names), a checkpoint and a model export cut short.
        for (String f : List.of(".run.json.tmp-4242", ".metrics.jsonl.tmp-4242", ".config.json.tmp-4242",
                ".evaluation.json.tmp-4242", ".predictions.jsonl.tmp-4242", ".rejected.jsonl.tmp-4242")) {
            Files.writeString(run.resolve(f), "{\"cut sho");
        }
        Files.createDirectories(run.resolve("checkpoints/.tmp-step-00000025"));
        Files.writeString(run.resolve("checkpoints/.tmp-step-00000025/model.safetensors.tmp-4242-1"), "cut short");
        Files.createDirectories(run.resolve(".tmp-model"));
        resume(run, settings);

        // Before: every one of them stayed in the run for good (the resumed run's own have its pid).
        assertEquals(List.of(), hidden(run), "nothing temporary left");
        assertSameWeights(tmp.resolve("straight"), run);
    }

    private static void assertSameWeights(Path straight, Path run) throws IOException {
        assertEquals(-1L, Files.mismatch(straight.resolve("model/model.safetensors"), run.resolve("model/model.safetensors")),
                "final weights differ from the uninterrupted run's");
    }

    /** Every entry under the run whose name starts with a dot. */
    private static List<String> hidden(Path run) throws IOException {
        try (Stream<Path> s = Files.walk(run)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).map(p -> run.relativize(p).toString()).sorted().toList();
        }
    }
}
