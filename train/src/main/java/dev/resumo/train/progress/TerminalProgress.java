package dev.resumo.train.progress;

import java.io.PrintStream;

/** A bar redrawn in place with carriage returns: step, loss, lr, tokens/s, ETA. */
public final class TerminalProgress implements Progress {
    private static final int WIDTH = 28;
    private final PrintStream out;
    private boolean barShown;

    public TerminalProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void step(long step, long total, double loss, double lr, double tokensPerSecond, double secondsLeft) {
        int filled = total > 0 ? (int) Math.min(WIDTH, WIDTH * step / total) : 0;
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        out.printf("\r[%s] %d/%d loss %.4f lr %.2e %.0f tok/s eta %s   ", bar, step, total, loss, lr, tokensPerSecond,
                Progress.duration(secondsLeft));
        out.flush();
        barShown = true;
    }

    @Override
    public void message(String line) {
        if (barShown) out.print("\r\033[2K");
        out.println(line);
        barShown = false;
    }
}
