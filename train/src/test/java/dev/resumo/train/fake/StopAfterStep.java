package dev.resumo.train.fake;

import dev.resumo.train.StopSignal;
import dev.resumo.train.progress.Progress;

/** Progress that prints nothing and requests a stop once the given step is done, as Ctrl-C after that step would. */
public final class StopAfterStep {
    private StopAfterStep() {}

    /** {@code step} < 1: never stops. */
    public static Progress progress(StopSignal stop, long step) {
        return new Progress() {
            @Override
            public void step(long done, long totalSteps, double loss, double lr, double tokensPerSecond, double secondsLeft) {
                if (done == step) stop.request("test stop after step " + done);
            }

            @Override
            public void message(String line) {}
        };
    }
}
