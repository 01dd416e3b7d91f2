package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.train.checkpoint.TrainerState;
import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.track.LocalTracker;
import dev.resumo.train.track.Tracker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logged "loss" is the mean of the step losses since the last log (transformers' Trainer), and
 * a run stopped between two logs and resumed logs the same mean as one never stopped: the partial
 * sum travels in the checkpoint.
 */
class TrainerLoggedLossTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    private static final Map<String, Object> SETTINGS = Map.of("max-steps", 12, "log-steps", 5, "eval-steps", 7,
            "save-steps", 100, "grad-accum", 2);

    @Test
    void lossLoggedAfterAResumeAveragesTheSameSteps(@TempDir Path tmp) throws IOException {
        Path straight = tmp.resolve("straight");
        FakeRun.run(FakeRun.config(straight, SETTINGS), 0, -1, StopSignal.manual(), QUIET, w -> {});

        // Stop at the evaluation of step 7: two steps into the window that step 10 logs.
        Path stopped = tmp.resolve("stopped");
        StopSignal stop = StopSignal.manual();
        TrainResult first = FakeRun.run(FakeRun.config(stopped, SETTINGS), 0, -1, stop, QUIET, w -> {},
                dir -> stopAtEvaluation(new LocalTracker(dir), stop, 7));
        assertEquals("INTERRUPTED", first.status());
        assertEquals(7, first.steps());
        Map<String, Object> resume = new java.util.HashMap<>(SETTINGS);
        resume.put("resume", "auto");
        FakeRun.run(FakeRun.config(stopped, resume), 0, -1, StopSignal.manual(), QUIET, w -> {});

        Map<Long, Double> want = losses(straight), got = losses(stopped);
        assertEquals(want.keySet(), got.keySet(), "logged steps");
        // Same steps, same arithmetic: the same double (a window restarted at 7 would average 8..10 only).
        assertEquals(want, got, "logged loss");
        System.out.println("logged loss across a resume at step 7: " + got);
    }

    @Test
    void resumingACheckpointThatAveragedItsMicroBatchesSaysTheLossNowSums(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("older");
        Map<String, Object> first = new java.util.HashMap<>(SETTINGS);
        first.put("max-steps", 4);
        first.put("save-steps", 4);
        FakeRun.run(FakeRun.config(run, first), 0, -1, StopSignal.manual(), QUIET, w -> {});
        Map<String, Object> resume = new java.util.HashMap<>(SETTINGS);
        resume.put("max-steps", 6);
        resume.put("resume", "auto");

        // The checkpoint as an older Resumo wrote it: no gradAccumulation in trainer_state.json.
        Path state = run.resolve("checkpoints/step-00000004/trainer_state.json");
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode saved = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(state.toFile());
        assertEquals(TrainerState.SUMMED_MICRO_BATCHES, saved.get("gradAccumulation").asText(), "written by every checkpoint");
        Path current = tmp.resolve("current");
        copyRun(run, current);
        saved.remove("gradAccumulation");
        Files.writeString(state, json.writeValueAsString(saved));

        List<String> warnings = new java.util.ArrayList<>();
        FakeRun.run(FakeRun.config(run, resume), 0, -1, StopSignal.manual(), QUIET, warnings::add);
        String said = String.join("\n", warnings);
        assertTrue(said.contains("step-00000004 was written by an older Resumo whose steps averaged their --grad-accum 2"
                + " micro-batches; from here a step sums them"), said);
        assertTrue(said.contains("about 2x what they were before this resume"), said);

        List<String> none = new java.util.ArrayList<>();
        Map<String, Object> again = new java.util.HashMap<>(resume);
        again.put("output-dir", current.toString());
        FakeRun.run(FakeRun.config(current, again), 0, -1, StopSignal.manual(), QUIET, none::add);
        assertFalse(none.stream().anyMatch(w -> w.contains("older Resumo")), "a checkpoint that summed: no warning: " + none);
    }

    private static void copyRun(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t);
            }
        }
    }

    private static Tracker stopAtEvaluation(Tracker inner, StopSignal stop, long atStep) {
        return new Tracker() {
            @Override
            public void start(Map<String, Object> params) throws IOException {
                inner.start(params);
            }

            @Override
            public void metrics(long step, Map<String, Double> metrics) throws IOException {
                inner.metrics(step, metrics);
                if (step == atStep && metrics.containsKey("eval_loss")) stop.request("test");
            }

            @Override
            public void artifacts(Path path) throws IOException {
                inner.artifacts(path);
            }

            @Override
            public void end(String status) throws IOException {
                inner.end(status);
            }
        };
    }

    private static Map<Long, Double> losses(Path run) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<Long, Double> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(run.resolve(LocalTracker.METRICS))) {
            JsonNode m = json.readTree(line);
            if (m.has("loss")) out.put(m.get("step").asLong(), m.get("loss").asDouble());
        }
        return out;
    }
}
