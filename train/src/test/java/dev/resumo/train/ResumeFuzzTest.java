package dev.resumo.train;

import dev.resumo.train.fake.MetricsLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.fake.CrashPoint;
import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.fake.FuzzRun;
import dev.resumo.train.fake.Subprocess;
import dev.resumo.train.track.LocalTracker;
import dev.resumo.train.track.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact resume across the settings space: a run stopped once or several times (Ctrl-C through the
 * stop request, or a crash at a chosen instant as kill -9 would leave it) and continued with
 * --resume auto each time ends as the run never stopped: the same final model bytes, the same last
 * checkpoint (weights, optimizer state, trainer state), the same metrics.jsonl lines (every value
 * but wall-clock ones), the same best checkpoint and evaluation files, the same status at the same
 * step.
 *
 * <p>Each random case draws, from its own seed: --optimizer adafactor | adamw, --weight-decay,
 * --schedule and --warmup-steps, --grad-accum 1-3, --batch-size against a training set of 10-30
 * examples (a last short batch, source lengths 4-14 grouped by length), --epochs or a --max-steps
 * that crosses epochs, --eval-steps with --patience and --best-metric (early stops), --save-steps,
 * --keep-checkpoints, --log-steps and --max-grad-norm; dropout is always on (the bag-of-words
 * model's). The stops land after a checkpoint, between checkpoints, right after an evaluation, at
 * an epoch's end, at the last step, or anywhere. A failure names the case and its seed; to
 * reproduce it, add it to {@link #regressionCases} by that seed.
 */
class ResumeFuzzTest {
    /** The default run's cases: about 0.2 s each on the shared 2-core machine. */
    private static final long SEED = 20261127L;
    private static final int CASES = 32;

    enum Kind { SIGNAL, CRASH_AFTER_TRAIN_LINE, CRASH_AFTER_EVAL_LINE, KILLED_IN_EXPORT }

    /**
     * A stop: Ctrl-C honoured after {@code step}, a crash once the step's training or evaluation line
     * is logged, or (the last segment only) a kill during the final export, after the last checkpoint.
     */
    record Stop(Kind kind, long step, String where) {
        @Override
        public String toString() {
            return kind + "@" + step + "(" + where + ")";
        }
    }

    /** The settings of a case and the training set's size; its stops are drawn once the uninterrupted run's length is known. */
    record Case(long seed, Map<String, Object> settings, int examples) {
        @Override
        public String toString() {
            return "seed " + seed + ", " + examples + " examples, " + new TreeMap<>(settings);
        }
    }

    @TestFactory
    Stream<DynamicTest> randomStopsResumeExactly(@TempDir Path tmp) {
        return IntStream.range(0, CASES).mapToObj(i -> SEED + i)
                .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(tmp.resolve("s" + seed), seed)));
    }

    /**
     * The long sweep, not part of the default run (tag "slow"): {@code bin/test -pl train -am
     * -Dtest=ResumeFuzzTest -Dresumo.test.excludedGroups= -Dresumo.resumeFuzz.cases=500}.
     */
    @Tag("slow")
    @TestFactory
    Stream<DynamicTest> longSweep(@TempDir Path tmp) {
        int cases = Integer.getInteger("resumo.resumeFuzz.cases", 300);
        long from = Long.getLong("resumo.resumeFuzz.seed", 1L);
        return IntStream.range(0, cases).mapToObj(i -> from + i)
                .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(tmp.resolve("s" + seed), seed)));
    }

    private static void check(Path dir, long seed) throws Exception {
        Random r = new Random(seed);
        Case c = draw(seed, r);
        check(dir, c, end -> stops(c, end, r));
    }

    /** Runs {@code c} uninterrupted, then stopped where {@code stopsForEnd} says given its last step, and compares. */
    private static void check(Path dir, Case c, java.util.function.LongFunction<List<Stop>> stopsForEnd) throws Exception {
        Path straight = dir.resolve("straight");
        TrainResult expected = FuzzRun.run(FakeRun.config(straight, c.settings()), c.examples(), -1);
        List<Stop> stops = stopsForEnd.apply(expected.steps());
        Path run = dir.resolve("stopped");
        List<String> warnings = new ArrayList<>();
        for (Stop s : stops) segment(run, c, s, warnings);
        TrainResult actual = resume(run, c, -1, null, warnings);
        assertSameRun(straight, expected, run, actual, c + ", stops " + stops, warnings);
        System.out.println("resume fuzz: " + expected.status() + " at step " + expected.steps() + ", best " + expected.bestCheckpoint()
                + ", stops " + stops + "; " + c);
    }

    /** One segment of the stopped run, resuming (after the first) and ending at {@code stop}. */
    private static void segment(Path run, Case c, Stop stop, List<String> warnings) throws Exception {
        switch (stop.kind()) {
            case SIGNAL -> resume(run, c, stop.step(), null, warnings);
            case CRASH_AFTER_TRAIN_LINE -> crash(run, c, d -> CrashPoint.afterTrainLine(new LocalTracker(d), stop.step(), CrashPoint.crash()), warnings);
            case CRASH_AFTER_EVAL_LINE -> crash(run, c, d -> CrashPoint.afterEvalLine(new LocalTracker(d), stop.step(), CrashPoint.crash()), warnings);
            case KILLED_IN_EXPORT -> {
                // What a kill during the export leaves: every checkpoint written, model/ still in its staging folder.
                resume(run, c, -1, null, warnings);
                Files.move(run.resolve("model"), run.resolve(".tmp-model"));
            }
        }
    }

    private static void crash(Path run, Case c, Function<Path, Tracker> tracker, List<String> warnings) {
        assertThrows(CrashPoint.Crash.class, () -> FuzzRun.run(FakeRun.config(run, withResume(c.settings())), c.examples(), -1, 0,
                tracker, warnings::add), "the crash point was reached");
    }

    private static TrainResult resume(Path run, Case c, long stopAfter, Function<Path, Tracker> tracker, List<String> warnings)
            throws IOException {
        return FuzzRun.run(FakeRun.config(run, withResume(c.settings())), c.examples(), stopAfter, 0,
                tracker == null ? LocalTracker::new : tracker, warnings::add);
    }

    /** --resume auto from the first segment on: a run with no checkpoint yet starts fresh in the same folder. */
    private static Map<String, Object> withResume(Map<String, Object> settings) {
        Map<String, Object> m = new LinkedHashMap<>(settings);
        m.put("resume", "auto");
        return m;
    }

    static Case draw(long seed, Random r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", r.nextInt(1000));
        String optimizer = r.nextBoolean() ? "adafactor" : "adamw";
        m.put("optimizer", optimizer);
        m.put("lr", optimizer.equals("adamw") ? 0.02 : 0.01);
        m.put("weight-decay", List.of(0.0, 0.01, 0.3).get(r.nextInt(3)));
        m.put("schedule", List.of("constant", "linear", "inverse-sqrt").get(r.nextInt(3)));
        m.put("warmup-steps", r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(6));
        m.put("grad-accum", 1 + r.nextInt(3));
        int batch = 3 + r.nextInt(3);
        m.put("batch-size", batch);
        int examples = 10 + r.nextInt(21);
        if (r.nextBoolean()) {
            m.put("max-steps", 0);
            m.put("epochs", 2 + r.nextInt(3));
        } else {
            m.put("max-steps", 8 + r.nextInt(23));
        }
        m.put("eval-steps", 2 + r.nextInt(6));
        m.put("patience", r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(3));
        m.put("best-metric", r.nextBoolean() ? "eval_loss" : "rouge1");
        m.put("save-steps", 2 + r.nextInt(6));
        m.put("keep-checkpoints", 1 + r.nextInt(4));
        m.put("log-steps", 1 + r.nextInt(3));
        m.put("max-grad-norm", r.nextInt(4) == 0 ? 0.0 : 1.0);
        return new Case(seed, m, examples);
    }

    /** 1-3 stops in increasing steps up to the uninterrupted run's last, each aimed at one kind of moment. */
    static List<Stop> stops(Case c, long end, Random r) {
        long save = num(c, "save-steps"), eval = num(c, "eval-steps"), log = num(c, "log-steps");
        int batch = Math.min((int) num(c, "batch-size"), c.examples());
        long batches = (c.examples() + batch - 1) / batch, ga = num(c, "grad-accum");
        long perEpoch = (batches + ga - 1) / ga;
        long total = num(c, "max-steps") > 0 ? num(c, "max-steps") : num(c, "epochs") * perEpoch; // an early stop ends before
        List<Stop> out = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            Kind kind = r.nextInt(10) < 6 ? Kind.SIGNAL : r.nextInt(3) < 2 ? Kind.CRASH_AFTER_TRAIN_LINE : Kind.CRASH_AFTER_EVAL_LINE;
            String where = List.of("after a checkpoint", "between checkpoints", "after an evaluation", "at an epoch's end",
                    "at the last step", "anywhere").get(r.nextInt(6));
            List<Long> fit = new ArrayList<>();
            for (long s = kind == Kind.CRASH_AFTER_EVAL_LINE ? 0 : 1; s <= end; s++) {
                boolean loggedThere = switch (kind) {
                    case SIGNAL -> true;
                    case CRASH_AFTER_TRAIN_LINE -> s % log == 0 || s == total;
                    case CRASH_AFTER_EVAL_LINE -> s % eval == 0 || s == total;
                    case KILLED_IN_EXPORT -> false;
                };
                boolean there = switch (where) {
                    case "after a checkpoint" -> s % save == 0;
                    case "between checkpoints" -> s % save != 0;
                    case "after an evaluation" -> s % eval == 0;
                    case "at an epoch's end" -> s % perEpoch == 0;
                    case "at the last step" -> s == end;
                    default -> true;
                };
                if (loggedThere && there) fit.add(s);
            }
            if (fit.isEmpty()) continue;
            out.add(new Stop(kind, fit.get(r.nextInt(fit.size())), where));
        }
        out.sort((a, b) -> Long.compare(a.step(), b.step()));
        // A later stop at the same step would never be reached (the segment resumes past it).
        List<Stop> distinct = new ArrayList<>();
        for (Stop s : out) if (distinct.isEmpty() || distinct.getLast().step() < s.step()) distinct.add(s);
        if (r.nextInt(5) == 0) distinct.add(new Stop(Kind.KILLED_IN_EXPORT, end, "in the export"));
        return distinct;
    }

    private static long num(Case c, String key) {
        return ((Number) c.settings().get(key)).longValue();
    }

    static void assertSameRun(Path straight, TrainResult expected, Path run, TrainResult actual, String what, List<String> warnings)
            throws IOException {
        assertEquals(expected.status(), actual.status(), "status; " + what);
        assertEquals(expected.steps(), actual.steps(), "last step; " + what);
        assertEquals(expected.bestCheckpoint(), actual.bestCheckpoint(), "best checkpoint; " + what);
        assertEquals(expected.bestMetrics(), actual.bestMetrics(), "best metrics; " + what);
        assertEquals(MetricsLines.withoutWallClock(straight), MetricsLines.withoutWallClock(run), "metrics.jsonl; " + what);
        assertSameFile(straight, run, "model/model.safetensors", what);
        String last = "checkpoints/" + expected.lastCheckpoint().getFileName() + "/";
        for (String f : List.of("model.safetensors", "optimizer.safetensors", "trainer_state.json")) assertSameFile(straight, run, last + f, what);
        if (expected.bestCheckpoint() != null) {
            assertSameFile(straight, run, "checkpoints/" + expected.bestCheckpoint() + "/model.safetensors", what);
        }
        for (String f : List.of("evaluation.json", "predictions.jsonl")) {
            assertEquals(Files.exists(straight.resolve(f)), Files.exists(run.resolve(f)), f + " exists; " + what);
            if (Files.exists(straight.resolve(f))) assertSameFile(straight, run, f, what);
        }
        // A resume of the same settings and data must not think anything changed.
        assertTrue(warnings.stream().noneMatch(w -> w.contains("differ") || w.contains("not match")), warnings + "; " + what);
    }

    private static void assertSameFile(Path straight, Path run, String file, String what) throws IOException {
        assertTrue(Files.exists(run.resolve(file)), file + " missing; " + what);
        assertEquals(-1L, Files.mismatch(straight.resolve(file), run.resolve(file)), file + " differs; " + what);
    }


    // ---- real kill -9 ----

    /**
     * kill -9 of a training process at a moment the clock picks (most of a step is spent inside its
     * gradient-accumulation cycle: the model sleeps 15 ms a micro-batch), then --resume auto here.
     */
    @Test
    void killedProcessesResumeExactly(@TempDir Path tmp) throws Exception {
        Random r = new Random(SEED);
        for (int k = 0; k < 2; k++) {
            Case c = draw(SEED - 1 - k, r);
            Map<String, Object> settings = new LinkedHashMap<>(c.settings());
            settings.put("grad-accum", 3);
            settings.put("patience", 0); // the kill must land before an early stop ends the run
            settings.put("max-steps", 24);
            settings.put("save-steps", 3);
            c = new Case(c.seed(), settings, c.examples());
            Path straight = tmp.resolve("straight" + k);
            TrainResult expected = FuzzRun.run(FakeRun.config(straight, settings), c.examples(), -1);

            Path run = tmp.resolve("killed" + k);
            Path log = tmp.resolve("killed" + k + ".log");
            List<String> args = new ArrayList<>(List.of(run.toString(), Integer.toString(c.examples()), "15"));
            settings.forEach((key, v) -> args.add(key + "=" + v));
            Process p = Subprocess.startMain(FuzzRun.class, log, args.toArray(String[]::new));
            Subprocess.awaitCheckpoint(p, run, 6, log);
            Thread.sleep(r.nextInt(200));
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            long killedAt = Subprocess.newestCompleteStep(run);
            assertTrue(Files.notExists(run.resolve("model")), "killed before the end (newest checkpoint " + killedAt + ")");
            List<String> warnings = new ArrayList<>();
            TrainResult actual = resume(run, c, -1, null, warnings);
            assertSameRun(straight, expected, run, actual, c + ", kill -9 after checkpoint " + killedAt, warnings);
        }
    }

    // ---- regressions ----

    /** Cases the sweep found, by name; each failed before its fix. */
    @TestFactory
    Stream<DynamicTest> regressionCases(@TempDir Path tmp) {
        // lr 1e-12: the weights barely move, so rouge1 is best at the first evaluation (step 2) and
        // patience 2 runs out at step 6, the last one.
        Case patienceOutAtLastStep = new Case(0, Map.of("lr", 1e-12, "best-metric", "rouge1", "patience", 2, "eval-steps", 2,
                "save-steps", 4, "max-steps", 6, "optimizer", "adamw"), 16);
        return Stream.of(
                // Was: the uninterrupted run ended EARLY_STOPPED (patience ran out at its last step),
                // the one stopped by Ctrl-C after that step and resumed ended FINISHED.
                DynamicTest.dynamicTest("patience runs out at the last step, Ctrl-C after it", () -> check(tmp.resolve("p1"),
                        patienceOutAtLastStep, end -> List.of(new Stop(Kind.SIGNAL, 6, "at the last step")))),
                // The same with a kill -9 during the final export (resumed: FINISHED, uninterrupted: EARLY_STOPPED).
                DynamicTest.dynamicTest("patience runs out at the last step, killed in the export", () -> check(tmp.resolve("p2"),
                        patienceOutAtLastStep, end -> List.of(new Stop(Kind.KILLED_IN_EXPORT, end, "in the export")))),
                // Sweep cases of the same bug (epochs, grad-accum 2, a crash before the stop).
                DynamicTest.dynamicTest("seed 1736", () -> check(tmp.resolve("s1736"), 1736)),
                DynamicTest.dynamicTest("seed 201", () -> check(tmp.resolve("s201"), 201)));
    }
}
