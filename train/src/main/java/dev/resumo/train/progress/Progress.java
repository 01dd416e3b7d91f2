package dev.resumo.train.progress;

import java.io.PrintStream;

/** Training progress for a person: a live bar on a terminal, plain periodic lines otherwise. */
public interface Progress {
    /** One optimizer step done. */
    void step(long step, long totalSteps, double loss, double lr, double tokensPerSecond, double secondsLeft);

    /** A line that must not be overwritten (evaluation results, checkpoint saved ...). */
    void message(String line);

    /**
     * The bar when standard output is a terminal, plain lines every logSteps otherwise. Since JDK 22
     * System.console() exists even when output is redirected, so isTerminal() decides.
     */
    static Progress forStream(PrintStream out, long logSteps) {
        java.io.Console console = System.console();
        boolean terminal = console != null && console.isTerminal() && out == System.out;
        return terminal ? new TerminalProgress(out) : new PlainProgress(out, logSteps);
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) return "--:--";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%02d:%02d", s / 60, s % 60);
    }
}
