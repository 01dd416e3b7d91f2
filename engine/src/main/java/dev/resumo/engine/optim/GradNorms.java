package dev.resumo.engine.optim;

import dev.resumo.engine.cpu.Workers;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The host loops of {@link GradClip}: Σ g² and g·coef over a gradient, vectorised and spread over
 * {@link Workers}. The sum is the same for any thread count: fixed chunks of {@link #CHUNK} floats,
 * each summed in float vector runs whose lanes are totalled in double in lane order, the chunk
 * totals added in chunk order. Why: the scalar double loop (one dependent add per element) and
 * the scalar scaling took ~2% of a PTT5-small Trainer step (60M gradient values) on one thread.
 */
final class GradNorms {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LF = F.length();
    /** Floats per parallel chunk (and per chunk total). */
    private static final int CHUNK = 1 << 14;
    /** Floats per float-vector run before its lanes go into the double total: 64 vectors. */
    private static final int RUN = 64 * LF;
    /** Per thread: the chunk totals of one tensor, grown to the largest tensor seen. */
    private static final ThreadLocal<double[]> TOTALS = ThreadLocal.withInitial(() -> new double[0]);
    /** Per thread: one vector's lanes on their way into a double. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[LF]);

    private GradNorms() {}

    static double sumSquares(float[] d, int off, int n) {
        if (oneElement(n)) return (double) d[off] * d[off];
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] totals = TOTALS.get();
        if (totals.length < chunks) {
            totals = new double[chunks];
            TOTALS.set(totals);
        }
        double[] out = totals;
        Workers.parallelFor(chunks, 4, (c0, c1) -> {
            float[] lanes = LANES.get();
            for (int c = c0; c < c1; c++) {
                int from = off + c * CHUNK;
                out[c] = squares(d, from, Math.min(from + CHUNK, off + n), lanes);
            }
        });
        double total = 0;
        for (int c = 0; c < chunks; c++) total += out[c];
        return total;
    }

    /**
     * Σ d² over [from, to) on this thread: float vector runs of {@link #RUN} floats, each run's
     * lanes added in lane order into a double total, the tail's squares in float added to it (also
     * Adafactor's RMS). Every square is a float32 square, as in torch's norm: it overflows to
     * infinity above ~1.8e19 and underflows to 0 below ~1e-23 wherever the element sits. (The tail
     * squared in double made the result depend on the element's position: a 1e30 gradient gave a
     * finite norm in the last n mod lanes elements and inf elsewhere; weights-tools/fuzz_optimizers.py.)
     */
    static double squares(float[] d, int from, int to, float[] lanes) {
        if (oneElement(to - from)) return (double) d[from] * d[from];
        double total = 0;
        int j = from;
        for (int vectorEnd = to - (to - from) % LF; j < vectorEnd; ) {
            int end = Math.min(vectorEnd, j + RUN);
            FloatVector s = FloatVector.zero(F);
            for (; j < end; j += LF) {
                FloatVector v = FloatVector.fromArray(F, d, j);
                s = v.fma(v, s);
            }
            s.intoArray(lanes, 0);
            for (int i = 0; i < LF; i++) total += lanes[i];
        }
        for (; j < to; j++) {
            float square = d[j] * d[j];
            total += square;
        }
        return total;
    }

    /**
     * torch's norm of a one-element tensor is |x| (no square is formed: 1e30 stays 1e30, where two
     * such elements give inf); Σ d² here is then that |x| squared in double, whose square root is
     * |x| again. Applies to {@link #sumSquares} and {@link #squares} (n = to - from = 1).
     */
    static boolean oneElement(int n) {
        return n == 1;
    }

    /** d[off, off+n) *= coef. */
    static void scale(float[] d, int off, int n, float coef) {
        Workers.parallelFor(n, CHUNK, (s, e) -> {
            int j = off + s, end = off + e;
            for (int vectorEnd = end - (end - j) % LF; j < vectorEnd; j += LF) {
                FloatVector.fromArray(F, d, j).mul(coef).intoArray(d, j);
            }
            for (; j < end; j++) d[j] *= coef;
        });
    }
}
