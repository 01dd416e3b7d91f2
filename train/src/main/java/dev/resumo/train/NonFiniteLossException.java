package dev.resumo.train;

/** The loss became NaN or infinite: training stops, naming the step (the last good checkpoint was saved). */
public final class NonFiniteLossException extends RuntimeException {
    private final long step;

    public NonFiniteLossException(String message, long step) {
        super(message);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
