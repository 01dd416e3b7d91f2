package dev.resumo.train.progress;

import java.io.PrintStream;

/** One line every logSteps steps (and at the last step): for logs and pipes. */
public final class PlainProgress implements Progress {
    private final PrintStream out;
    private final long every;

    public PlainProgress(PrintStream out, long every) {
        this.out = out;
        this.every = every;
    }

    @Override
    public void step(long step, long total, double loss, double lr, double tokensPerSecond, double secondsLeft) {
        if (step % every != 0 && step != total) return;
        out.printf("step %d/%d  loss %.4f  lr %.3g  %.0f tok/s  eta %s%n", step, total, loss, lr, tokensPerSecond,
                Progress.duration(secondsLeft));
    }

    @Override
    public void message(String line) {
        out.println(line);
    }
}
