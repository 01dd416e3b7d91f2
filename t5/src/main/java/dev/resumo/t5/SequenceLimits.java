package dev.resumo.t5;

/**
 * The longest token sequence Resumo lets a model read: one ceiling that summarize, score, eval,
 * train, serve, batch and the benchmarks all check, so a too-long --max-source-length (or
 * --source-length / --target-length) is refused with a one-line error naming the flag instead of
 * overflowing an array size deep inside attention.
 *
 * <p>Why 8192: T5 checkpoints (PTT5 included) are trained at 512 tokens; relative position buckets
 * let them read longer inputs, but quality falls off well before 8192. Self-attention materialises
 * scores of [batch, heads, S, S] floats: at S = 8192 that is 8192² = 67,108,864 floats per head,
 * × 12 heads (PTT5-base) = 805,306,368 floats = 3.2 GB for one layer's scores at batch 1 — already
 * more than a laptop gives the JVM, and the position-bias bucket table alone is 8192² ints = 256 MB.
 * At S = 16384 one [1, 12, S, S] tensor is 3.2·10⁹ elements, past Java's 2³¹−1 array limit, which
 * is what overflowed into negative array sizes before this ceiling existed.
 */
public final class SequenceLimits {
    /** The most tokens in one source (or target) sequence, {@code </s>} included. */
    public static final int MAX_SEQUENCE_LENGTH = 8192;

    private SequenceLimits() {}

    /**
     * Throws an {@link IllegalArgumentException} naming {@code flag} (e.g. "--max-source-length")
     * when {@code tokens} is outside 1..{@link #MAX_SEQUENCE_LENGTH}; returns it otherwise.
     */
    public static int check(String flag, int tokens) {
        if (tokens < 1) throw new IllegalArgumentException(flag + ": must be ≥ 1, got " + tokens);
        if (tokens > MAX_SEQUENCE_LENGTH) {
            throw new IllegalArgumentException(flag + ": must be ≤ " + MAX_SEQUENCE_LENGTH
                    + " tokens (T5 checkpoints are trained at 512; attention holds [batch, heads, S, S] floats), got " + tokens);
        }
        return tokens;
    }
}
