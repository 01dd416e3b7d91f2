package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.checkpoint.Durable;
import dev.resumo.train.fake.CrashPoint;
import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.track.LocalTracker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    /** lr 1e-12: the weights barely move, so rouge1 is best at the first evaluation (step 2) and never improves after. */
    private static final Map<String, Object> BEST_EARLY = Map.of("lr", 1e-12, "best-metric", "rouge1", "eval-steps", 2,
            "save-steps", 2, "max-steps", 10, "log-steps", 1);

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
    void aRunKilledBeforeItsFirstCheckpointStartsAgainLoggingEachStepOnce(@TempDir Path tmp) throws Exception {
        Map<String, Object> settings = Map.of("max-steps", 20, "save-steps", 10, "eval-steps", 10, "log-steps", 1);
        straight(tmp.resolve("straight"), settings);
        Path run = tmp.resolve("killed");
        crashAfterTrainLine(run, settings, 4); // steps 0-4 logged, no checkpoint yet
        resume(run, settings); // --resume auto: no complete checkpoint, starts fresh in the same run

        // Before: the fresh start appended to the killed attempt's lines: step 0's evaluation and steps 1-4 twice.
        assertEquals(loggedSteps(tmp.resolve("straight")), loggedSteps(run));
        assertSameWeights(tmp.resolve("straight"), run);
    }

    @Test
    void aRunKilledDuringItsFinalExportIsNotEvaluatedAgain(@TempDir Path tmp) throws Exception {
        // 25: a checkpoint step (save 5) that is not an evaluation step (10): evaluated only because it is the last.
        Map<String, Object> settings = Map.of("max-steps", 25, "eval-steps", 10, "save-steps", 5, "log-steps", 5);
        straight(tmp.resolve("straight"), settings);
        Path run = tmp.resolve("killed");
        straight(run, settings);
        // Killed during the export, after the last checkpoint: the export's own folder (.tmp-model) is
        // what a kill leaves then, model/ not yet in place.
        Files.move(run.resolve("model"), run.resolve(".tmp-model"));
        TrainResult r = resume(run, settings);

        assertEquals("FINISHED", r.status());
        // Before: the resumed run evaluated step 25 a second time (a second eval line, and patience counted it).
        assertEquals(loggedSteps(tmp.resolve("straight")), loggedSteps(run));
        assertSameWeights(tmp.resolve("straight"), run);
    }

    @Test
    void anEarlyStoppedRunKilledDuringItsExportStaysStopped(@TempDir Path tmp) throws Exception {
        Map<String, Object> settings = Map.of("lr", 1e-12, "best-metric", "rouge1", "patience", 2, "eval-steps", 2, "max-steps", 40);
        TrainResult uninterrupted = straight(tmp.resolve("straight"), settings);
        assertEquals("EARLY_STOPPED", uninterrupted.status());
        Path run = tmp.resolve("killed");
        straight(run, settings);
        Files.move(run.resolve("model"), run.resolve(".tmp-model")); // killed during the export that followed the stop
        TrainResult r = resume(run, settings);

        // Before: the resumed run trained on to step 40, past the early stop.
        assertEquals("EARLY_STOPPED", r.status());
        assertEquals(uninterrupted.steps(), r.steps());
        assertEquals(loggedSteps(tmp.resolve("straight")), loggedSteps(run));
        assertSameWeights(tmp.resolve("straight"), run);
    }

    @Test
    void theBestEvaluationOutlivesAResumeAfterIt(@TempDir Path tmp) throws Exception {
        TrainResult uninterrupted = straight(tmp.resolve("straight"), BEST_EARLY);
        assertEquals("step-00000002", uninterrupted.bestCheckpoint(), "the case: best at the first evaluation");
        Path run = tmp.resolve("killed");
        crashAfterTrainLine(run, BEST_EARLY, 5); // after checkpoints 2 (the best) and 4
        TrainResult r = resume(run, BEST_EARLY);

        // Before: the resumed run knew the best checkpoint but not its figures: an empty table in the model card.
        assertFalse(uninterrupted.bestMetrics().isEmpty());
        assertEquals(uninterrupted.bestMetrics(), r.bestMetrics());
        assertEquals(modelCard(tmp.resolve("straight")), modelCard(run));
    }

    @Test
    void evaluationJsonIsWrittenBeforeTheBestCheckpoint(@TempDir Path tmp) throws Exception {
        straight(tmp.resolve("straight"), BEST_EARLY);
        Path run = tmp.resolve("killed");
        // Step 2's evaluation.json cannot be written (a folder in its place): the run ends there, as
        // a kill between the best checkpoint and its evaluation.json would end it.
        Path blocker = run.resolve("evaluation.json");
        assertThrows(RunStorageException.class, () -> FakeRun.run(FakeRun.config(run, BEST_EARLY), 0, -1, StopSignal.manual(), QUIET,
                w -> {}, dir -> CrashPoint.afterEvalLine(new LocalTracker(dir), 2, s -> Files.createDirectories(blocker.resolve("x")))));
        Durable.deleteRecursively(blocker);
        resume(run, BEST_EARLY);

        // Before: checkpoint 2 (the best) was written first, the resume started after it, and no
        // later evaluation did better: evaluation.json and predictions.jsonl were never written.
        for (String f : List.of("evaluation.json", "predictions.jsonl")) {
            assertTrue(Files.exists(run.resolve(f)), f + " missing");
            assertEquals(Files.readString(tmp.resolve("straight").resolve(f)), Files.readString(run.resolve(f)), f);
        }
        assertEquals(loggedSteps(tmp.resolve("straight")), loggedSteps(run));
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

    /** (step, kind) of every metrics.jsonl line: "train" lines carry loss, "eval" lines eval_loss. */
    private static List<String> loggedSteps(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(line.replaceAll(".*\"step\":(\\d+).*", "$1") + (line.contains("\"eval_loss\"") ? " eval" : " train"));
        }
        return out;
    }

    private static void assertSameWeights(Path straight, Path run) throws IOException {
        assertEquals(-1L, Files.mismatch(straight.resolve("model/model.safetensors"), run.resolve("model/model.safetensors")),
                "final weights differ from the uninterrupted run's");
    }

    /** The model card without its training time (wall clock, never the same twice). */
    private static List<String> modelCard(Path run) throws IOException {
        return Files.readAllLines(run.resolve("model/README.md")).stream().filter(l -> !l.startsWith("| training time")).toList();
    }

    /** Every entry under the run whose name starts with a dot. */
    private static List<String> hidden(Path run) throws IOException {
        try (Stream<Path> s = Files.walk(run)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).map(p -> run.relativize(p).toString()).sorted().toList();
        }
    }
}
