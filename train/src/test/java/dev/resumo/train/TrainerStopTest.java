package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.checkpoint.CheckpointStore;
import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.fake.Subprocess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ways a run stops: SIGTERM, a NaN loss, and a crash that leaves a half-written checkpoint. */
class TrainerStopTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Test
    void sigtermWritesACheckpointAndExitsCleanly(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        stopsWithACheckpoint(run, tmp.resolve("run.log"), "SIGTERM", Process::destroy); // SIGTERM on Unix
        String runJson = Files.readString(run.resolve("run.json"));
        assertTrue(runJson.contains("INTERRUPTED"), runJson);
    }

    /** A dropped ssh session (SIGHUP) stops the run as SIGTERM does; the JVM's own handler exited 129 at once. */
    @Test
    void sighupWritesACheckpointAsSigtermDoes(@TempDir Path tmp) throws Exception {
        stopsWithACheckpoint(tmp.resolve("run"), tmp.resolve("run.log"), "SIGHUP", p -> Subprocess.signal(p, "HUP"));
    }

    private interface Signaller {
        void send(Process p) throws Exception;
    }

    /** A run sent {@code signal} after its first checkpoint ends through a checkpoint at the step it stopped. */
    private static void stopsWithACheckpoint(Path run, Path log, String signal, Signaller send) throws Exception {
        Process p = Subprocess.start(run, 40, log, "max-steps=200", "save-steps=5");
        Subprocess.awaitCheckpoint(p, run, 5, log);
        send.send(p);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "process did not exit after " + signal);
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), "ended through its checkpoint, not by the JVM's handler: " + output);
        assertTrue(output.contains(signal + ": stopping after the current step"), output);
        long step = Long.parseLong(output.replaceAll("(?s).*stopped by " + signal + " at step (\\d+).*", "$1"));
        assertTrue(step > 0 && step < 200, "stopped mid-run at " + step);
        assertEquals(step, Subprocess.newestCompleteStep(run), "a checkpoint at the step it stopped");
        assertTrue(Files.exists(run.resolve("checkpoints").resolve(CheckpointStore.name(step)).resolve("trainer_state.json")));
    }

    /** Under nohup SIGHUP stays ignored: the run goes on, and SIGTERM still stops it with its checkpoint. */
    @Test
    void underNohupSighupIsIgnored(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Path log = tmp.resolve("run.log");
        Process p = Subprocess.startIgnoringHangUp(run, 40, log, "max-steps=200", "save-steps=5");
        Subprocess.awaitCheckpoint(p, run, 5, log);
        Subprocess.signal(p, "HUP");
        Subprocess.awaitCheckpoint(p, run, 10, log); // still training after the signal
        assertTrue(p.isAlive(), Files.readString(log));
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "process did not exit after SIGTERM");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(!output.contains("SIGHUP") && output.contains("stopped by SIGTERM at step"), output);
    }

    @Test
    void twoSignalsInQuickSuccessionAreOnePressAndStillWriteTheCheckpoint(@TempDir Path tmp) throws Exception {
        // Ctrl-C pressed twice by reflex (or a supervisor sending SIGTERM twice): the second, a few ms after
        // the first, must not throw away the checkpoint the first asked for. 250 ms steps: it lands mid-step
        // even when the machine is busy (the double tap is one press in every phase anyway).
        Path run = tmp.resolve("run");
        Path log = tmp.resolve("run.log");
        Process p = Subprocess.start(run, 250, log, "max-steps=200", "save-steps=5");
        Subprocess.awaitCheckpoint(p, run, 5, log);
        p.destroy();
        // The second signal goes once the first is acknowledged (a few ms): sent blindly 10 ms later it
        // could reach the kernel while the first was still pending and merge into it, proving nothing.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.readString(log).contains("SIGTERM: stopping after the current step") && System.nanoTime() < until) {
            Thread.sleep(2);
        }
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "process did not exit after SIGTERM");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), "ended through its checkpoint, not halted (143): " + output);
        assertTrue(output.contains("SIGTERM: stopping after the current step"), "the first signal is acknowledged at once: " + output);
        assertTrue(output.contains("already stopping"), "the second is taken as the same press: " + output);
        long step = Long.parseLong(output.replaceAll("(?s).*stopped by SIGTERM at step (\\d+).*", "$1"));
        assertEquals(step, Subprocess.newestCompleteStep(run), "a checkpoint at the step it stopped");
    }

    @Test
    void nanLossStopsNamingTheStepAfterSavingTheLastGoodCheckpoint(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        // grad-accum 1: the 7th forward call is step 7.
        TrainConfig c = FakeRun.config(run, Map.of("save-steps", 100, "eval-steps", 100));
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> FakeRun.run(c, 0, 7, StopSignal.manual(), QUIET, w -> {}));
        assertTrue(e.getMessage().contains("at step 7"), e.getMessage());
        assertEquals(7, e.step());
        assertTrue(Files.exists(run.resolve("checkpoints/step-00000006/COMPLETE")), "last good checkpoint (step 6)");
        assertTrue(Files.readString(run.resolve("run.json")).contains("FAILED"));
    }

    @Test
    void incompleteCheckpointIsIgnoredWithAWarning(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        FakeRun.run(FakeRun.config(run, Map.of("max-steps", 10, "save-steps", 5, "keep-checkpoints", 5)), 0, -1,
                StopSignal.manual(), QUIET, w -> {});
        // A crash while writing step 15: the directory is there, its marker is not.
        Path broken = run.resolve("checkpoints/step-00000015");
        Files.createDirectories(broken);
        Files.copy(run.resolve("checkpoints/step-00000010/model.safetensors"), broken.resolve("model.safetensors"));
        List<String> warnings = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TrainResult r = FakeRun.run(FakeRun.config(run, Map.of("max-steps", 20, "save-steps", 5, "resume", "auto")), 0, -1,
                StopSignal.manual(), new PrintStream(out), warnings::add);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("ignoring incomplete checkpoint") && w.contains("step-00000015")),
                "warnings: " + warnings);
        assertTrue(out.toString().contains("resumed from " + run.resolve("checkpoints/step-00000010").toAbsolutePath()), out.toString());
        assertEquals(20, r.steps());
        assertTrue(warnings.stream().noneMatch(w -> w.contains("changed settings")), "max-steps may change: " + warnings);
    }

    @Test
    void resumingWithChangedSettingsWarnsByName(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        FakeRun.run(FakeRun.config(run, Map.of("max-steps", 5)), 0, -1, StopSignal.manual(), QUIET, w -> {});
        List<String> warnings = new ArrayList<>();
        FakeRun.run(FakeRun.config(run, Map.of("max-steps", 8, "batch-size", 2, "resume", "auto")), 0, -1,
                StopSignal.manual(), QUIET, warnings::add);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("changed settings (batch-size 4 → 2)")), "warnings: " + warnings);
    }

    /**
     * A checkpoint written before --label-smoothing existed trained without it: resumed with 0.1 the
     * loss changes, and that is named like any changed setting (a missing key was skipped).
     */
    @Test
    void resumingAnOlderCheckpointWithLabelSmoothingWarns(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        FakeRun.run(FakeRun.config(run, Map.of("max-steps", 5, "save-steps", 5)), 0, -1, StopSignal.manual(), QUIET, w -> {});
        int edited = 0;
        try (var files = java.nio.file.Files.walk(run.resolve("checkpoints"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("config.json")).toList()) {
                String json = java.nio.file.Files.readString(f);
                String without = json.replaceAll("\\s*\"label-smoothing\"\\s*:\\s*0\\.0\\s*,", "");
                if (!without.equals(json)) edited++;
                java.nio.file.Files.writeString(f, without);
            }
        }
        assertTrue(edited > 0, "no checkpoint config.json held label-smoothing");
        List<String> warnings = new ArrayList<>();
        FakeRun.run(FakeRun.config(run, Map.of("max-steps", 8, "save-steps", 5, "label-smoothing", 0.1, "resume", "auto")), 0, -1,
                StopSignal.manual(), QUIET, warnings::add);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("changed settings (label-smoothing 0.0 → 0.1)")), "warnings: " + warnings);
    }

    /**
     * A longer (or shorter) run is free under a constant schedule, but under linear and cosine the
     * decay ends at the run's last step, so every lr from the resume on changes: that is named.
     */
    @ParameterizedTest
    @ValueSource(strings = {"linear", "cosine"})
    void resumingADecayingScheduleWithAnotherLengthWarns(String schedule, @TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        FakeRun.run(FakeRun.config(run, Map.of("max-steps", 10, "save-steps", 5, "schedule", schedule)), 0, -1,
                StopSignal.manual(), QUIET, w -> {});
        List<String> warnings = new ArrayList<>();
        FakeRun.run(FakeRun.config(run, Map.of("max-steps", 20, "save-steps", 5, "schedule", schedule, "resume", "auto")), 0, -1,
                StopSignal.manual(), QUIET, warnings::add);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("changed settings (run length 10 → 20 steps: the " + schedule + " schedule "
                + "now decays to 0 at step 20 instead of 10)")), "warnings: " + warnings);
    }

    /** The same length resumed under linear warns of nothing. */
    @Test
    void resumingALinearScheduleWithTheSameLengthIsQuiet(@TempDir Path tmp) throws Exception {
        Path same = tmp.resolve("same");
        FakeRun.run(FakeRun.config(same, Map.of("max-steps", 10, "save-steps", 5, "schedule", "linear")), 0, -1,
                StopSignal.manual(), QUIET, w -> {});
        List<String> none = new ArrayList<>();
        // The same length said another way (--epochs is ignored while --max-steps is set): no warning.
        FakeRun.run(FakeRun.config(same, Map.of("max-steps", 10, "epochs", 7, "save-steps", 5, "schedule", "linear",
                "resume", "auto")), 0, -1, StopSignal.manual(), QUIET, none::add);
        assertTrue(none.stream().noneMatch(w -> w.contains("changed settings")), "warnings: " + none);
    }

    @Test
    void freshRunRefusesADirectoryWithCheckpoints(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        FakeRun.run(FakeRun.config(run, Map.of("max-steps", 5)), 0, -1, StopSignal.manual(), QUIET, w -> {});
        ConfigException e = assertThrows(ConfigException.class,
                () -> FakeRun.run(FakeRun.config(run, Map.of("max-steps", 5)), 0, -1, StopSignal.manual(), QUIET, w -> {}));
        assertTrue(e.getMessage().contains("--resume auto"), e.getMessage());
    }

    @Test
    void earlyStoppingAfterPatienceEvaluationsWithoutImprovement(@TempDir Path tmp) throws Exception {
        // lr 1e-12: the weights do not move, so the greedy summaries and their rouge1 never improve.
        TrainConfig c = FakeRun.config(tmp.resolve("run"), Map.of("lr", 1e-12, "best-metric", "rouge1", "patience", 2,
                "eval-steps", 2, "max-steps", 40));
        TrainResult r = FakeRun.run(c, 0, -1, StopSignal.manual(), QUIET, w -> {});
        assertEquals("EARLY_STOPPED", r.status());
        assertEquals(6, r.steps(), "best at step 2, no improvement at 4 and 6, stop");
        assertEquals("step-00000002", r.bestCheckpoint());
        assertEquals(-1L, Files.mismatch(tmp.resolve("run/model/model.safetensors"),
                tmp.resolve("run/checkpoints/step-00000002/model.safetensors")), "model/ is the best checkpoint");
    }
}
