package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.track.CompositeTracker;
import dev.resumo.train.track.LocalTracker;
import dev.resumo.train.track.Tracker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's folder stops taking writes in the middle of training (a full disk, a folder made
 * read-only). Simulated by putting a folder where the run writes a file — a failure that holds for
 * root too, which ignores permissions: the run stops with an error that names the file, the step
 * and the last complete checkpoint; a second failure while recording the first does not hide it;
 * and a final model that cannot be exported leaves the model/ of an earlier segment as it was.
 */
class TrainerStorageFailureTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /** After the metrics of step {@code atStep} were written, puts a folder (with a file in it) where {@code name} was. */
    private static Tracker breakFileAfterStep(Path run, String name, long atStep) {
        return new Tracker() {
            @Override public void start(Map<String, Object> params) {}
            @Override public void metrics(long step, Map<String, Double> metrics) throws IOException {
                if (step != atStep || Files.isDirectory(run.resolve(name))) return;
                Files.deleteIfExists(run.resolve(name));
                Files.createDirectories(run.resolve(name));
                Files.writeString(run.resolve(name).resolve("in-the-way"), "x"); // a non-empty folder: not even a rename replaces it
            }
            @Override public void artifacts(Path path) {}
            @Override public void end(String status) {}
        };
    }

    @Test
    void aFileThatCannotBeWrittenMidRunStopsTheRunNamingItTheStepAndTheLastCheckpoint(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        TrainConfig c = FakeRun.config(run, Map.of("max-steps", 30, "log-steps", 1, "save-steps", 5, "eval-steps", 100));
        RunStorageException e = assertThrows(RunStorageException.class, () -> FakeRun.run(c, 0, -1, StopSignal.manual(), QUIET,
                w -> {}, dir -> new CompositeTracker(List.of(new LocalTracker(dir), breakFileAfterStep(dir, "metrics.jsonl", 12)))));
        String m = e.getMessage();
        assertTrue(m.startsWith("file error on " + run.resolve("metrics.jsonl").toAbsolutePath()), m);
        assertTrue(m.contains("training stopped at step 13"), m);
        assertTrue(m.contains("the last complete checkpoint is " + run.resolve("checkpoints/step-00000010").toAbsolutePath()), m);
        assertEquals(1, m.lines().count(), m);
        assertEquals(13, e.step());
        assertTrue(Files.readString(run.resolve("run.json")).contains("\"FAILED\""), "the failure is recorded where it can be");
    }

    /**
     * A full disk, for real: from step {@code atStep} on, {@code name} is a link to /dev/full, where every
     * write fails with "No space left on device" — an IOException that names no file by itself.
     */
    private static Tracker fillDiskAfterStep(Path run, String name, long atStep) {
        return new Tracker() {
            @Override public void start(Map<String, Object> params) {}
            @Override public void metrics(long step, Map<String, Double> metrics) throws IOException {
                if (step != atStep || Files.isSymbolicLink(run.resolve(name))) return;
                Files.deleteIfExists(run.resolve(name));
                Files.createSymbolicLink(run.resolve(name), Path.of("/dev/full"));
            }
            @Override public void artifacts(Path path) {}
            @Override public void end(String status) {}
        };
    }

    @Test
    void aFullDiskMidRunNamesTheFileThatCouldNotBeWritten(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs Linux's /dev/full");
        Path run = tmp.resolve("run");
        TrainConfig c = FakeRun.config(run, Map.of("max-steps", 30, "log-steps", 1, "save-steps", 5, "eval-steps", 100));
        RunStorageException e = assertThrows(RunStorageException.class, () -> FakeRun.run(c, 0, -1, StopSignal.manual(), QUIET,
                w -> {}, dir -> new CompositeTracker(List.of(new LocalTracker(dir), fillDiskAfterStep(dir, "metrics.jsonl", 12)))));
        String m = e.getMessage();
        // It said "cannot write the run's files: No space left on device": which file, on which disk?
        assertTrue(m.startsWith("cannot write " + run.resolve("metrics.jsonl").toAbsolutePath() + ": No space left on device"), m);
        assertTrue(m.contains("training stopped at step 13"), m);
    }

    @Test
    void aRunFolderRemovedMidRunDoesNotNameItsCheckpointToContinueFrom(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        TrainConfig c = FakeRun.config(run, Map.of("max-steps", 30, "log-steps", 1, "save-steps", 5, "eval-steps", 100));
        Tracker removeRun = new Tracker() { // `rm -rf` of the run folder after step 12
            @Override public void start(Map<String, Object> params) {}
            @Override public void metrics(long step, Map<String, Double> metrics) throws IOException {
                if (step == 12) dev.resumo.train.checkpoint.Durable.deleteRecursively(run);
            }
            @Override public void artifacts(Path path) {}
            @Override public void end(String status) {}
        };
        RunStorageException e = assertThrows(RunStorageException.class, () -> FakeRun.run(c, 0, -1, StopSignal.manual(), QUIET,
                w -> {}, dir -> new CompositeTracker(List.of(new LocalTracker(dir), removeRun))));
        String m = e.getMessage();
        // It said "the last complete checkpoint is .../step-00000010", a folder that no longer existed.
        assertTrue(m.contains("training stopped at step 13 (its last checkpoint " + run.resolve("checkpoints/step-00000010").toAbsolutePath()
                + " is gone too: the run cannot be continued)"), m);
        assertTrue(e.checkpointRemoved(), "so the command does not offer --resume auto");
    }

    @Test
    void whenRecordingTheFailureFailsTooTheFirstErrorIsTheOneReported(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        TrainConfig c = FakeRun.config(run, Map.of("max-steps", 30, "log-steps", 1, "save-steps", 5, "eval-steps", 100));
        // run.json is broken first (step 11), metrics.jsonl next (step 12): step 13's metrics fail, then recording FAILED does.
        RunStorageException e = assertThrows(RunStorageException.class, () -> FakeRun.run(c, 0, -1, StopSignal.manual(), QUIET,
                w -> {}, dir -> new CompositeTracker(List.of(new LocalTracker(dir), breakFileAfterStep(dir, "run.json", 11),
                        breakFileAfterStep(dir, "metrics.jsonl", 12)))));
        assertTrue(e.getMessage().contains("metrics.jsonl"), "the error that stopped the run, not the one recording it: " + e.getMessage());
        Throwable[] suppressed = e.getCause().getSuppressed();
        assertTrue(suppressed.length == 1 && String.valueOf(suppressed[0].getMessage()).contains("run.json"),
                "the run.json failure rides along: " + List.of(suppressed));
    }

    @Test
    void aFailedExportLeavesTheModelOfTheEarlierSegmentWhole(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Path spiece = Files.writeString(tmp.resolve("spiece.model"), "a tokenizer file");
        FakeRun.run(FakeRun.config(run, Map.of("max-steps", 10)), 0, -1, StopSignal.manual(), QUIET, w -> {},
                LocalTracker::new, spiece);
        Map<String, byte[]> before = files(run.resolve("model"));
        assertTrue(before.containsKey("model.safetensors") && before.containsKey("spiece.model"), before.keySet().toString());

        // The resumed segment trains on, then cannot finish its export: the tokenizer it copies is gone.
        Files.delete(spiece);
        RunStorageException e = assertThrows(RunStorageException.class, () -> FakeRun.run(
                FakeRun.config(run, Map.of("max-steps", 20, "resume", "auto")), 0, -1, StopSignal.manual(), QUIET, w -> {},
                LocalTracker::new, spiece));
        assertTrue(e.getMessage().contains(spiece.toString()), e.getMessage());

        Map<String, byte[]> after = files(run.resolve("model"));
        assertEquals(before.keySet(), after.keySet(), "model/ has the same files");
        for (String f : before.keySet()) assertArrayEquals(before.get(f), after.get(f), f + " is unchanged");
        assertFalse(Files.exists(run.resolve(".tmp-model")), "the half-written export is removed");
    }

    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) out.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
        return out;
    }
}
