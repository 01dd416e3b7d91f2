package dev.resumo.cli;

import dev.resumo.train.PhaseTimes;
import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainResult;
import dev.resumo.train.TrainingJob;
import dev.resumo.train.data.Example;
import java.io.PrintStream;
import java.util.Map;

/** What `resumo train` and `resumo demo` print at the end: figures, a held-out summary, where things are. */
final class TrainReport {
    private TrainReport() {}

    /**
     * @param startupSeconds from the JVM's start to the job's start (model load included); NaN when not known
     * @param wallSeconds the job's wall time
     * @param continuation how an interrupted run goes on (train resumes; the demo is run again)
     */
    static void print(TrainingJob.Outcome o, double startupSeconds, double wallSeconds, StopSignal.Continuation continuation,
                      PrintStream out) {
        TrainResult r = o.result();
        out.println();
        out.printf("%s after %d steps in %.1f s (training %.1f s, %.2f examples/s, %.0f tokens/s)%n", r.status(), r.steps(),
                wallSeconds, r.seconds(), r.examplesPerSecond(), r.tokensPerSecond());
        out.println("time: " + (Double.isNaN(startupSeconds) ? "" : String.format(java.util.Locale.ROOT, "startup %.1f s (JVM, model load), ", startupSeconds))
                + PhaseTimes.describe(r.phaseSeconds()));
        if (r.status().equals("INTERRUPTED")) {
            out.println("checkpoint: " + r.lastCheckpoint() + "  (" + continuation.afterCheckpoint() + ")");
            return;
        }
        out.printf("eval loss: %.4f at the start → %.4f at the end%n", r.firstEvalLoss(), r.lastEvalLoss());
        out.println("ROUGE F1 on the validation split (best checkpoint " + r.bestCheckpoint() + ") vs Lead-3:");
        for (Map.Entry<String, Double> e : r.bestMetrics().entrySet()) {
            if (!e.getKey().startsWith("rouge")) continue;
            Double lead = o.lead3().get(e.getKey());
            out.printf("  %-10s model %.4f   Lead-3 %s%n", e.getKey(), e.getValue(), lead == null ? "-" : String.format("%.4f", lead));
        }
        if (!o.predictions().isEmpty()) {
            Example held = o.evalExamples().get(0);
            out.println();
            out.println("held-out text (" + held.id() + "): " + abbreviate(held.text(), 300));
            out.println("reference summary: " + abbreviate(held.summary(), 300));
            out.println("model summary:     " + o.predictions().get(0));
        }
        out.println();
        out.println("run directory: " + o.runDir().root());
        out.println("  model (HF layout + spiece.model + model card): " + o.runDir().model());
        out.println("  metrics: " + o.runDir().metrics() + "   config: " + o.runDir().config());
        out.println("  checkpoints: " + o.runDir().checkpoints() + "   rejected rows: " + o.runDir().rejected());
        out.println("try it: bin/resumo summarize --model " + o.runDir().model() + " --text \"...\"");
    }

    /**
     * Seconds since the JVM started. (Not ProcessHandle's start instant: on Linux it is the boot
     * time, known to the second, plus the process's start in clock ticks, so it was up to 1 s off.)
     */
    static double secondsSinceJvmStart() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
