package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Finds NaN and infinite values: a checkpoint with them loads and runs "fine" — every logit
 * becomes NaN, greedy search then picks id 0 (padding) at every step and the summary comes out
 * empty, with nothing said — so the loader checks each weight once.
 */
public final class FiniteScan {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private FiniteScan() {}

    /**
     * The index (relative to {@code off}) of the first value in a[off, off+len) that is NaN or
     * ±infinity, or -1 when all are finite. |x| ≤ Float.MAX_VALUE is false exactly for those.
     */
    public static int firstNonFinite(float[] a, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, a.length);
        int i = 0;
        for (int end = S.loopBound(len); i < end; i += S.length()) {
            VectorMask<Float> finite = FloatVector.fromArray(S, a, off + i).abs().compare(VectorOperators.LE, Float.MAX_VALUE);
            if (!finite.allTrue()) return i + finite.not().firstTrue();
        }
        for (; i < len; i++) {
            if (!Float.isFinite(a[off + i])) return i;
        }
        return -1;
    }

    /** How many values in a[off, off+len) are NaN or ±infinity. */
    public static long countNonFinite(float[] a, int off, int len) {
        long n = 0;
        for (int at = 0; at < len; ) {
            int first = firstNonFinite(a, off + at, len - at);
            if (first < 0) break;
            n++;
            at += first + 1;
        }
        return n;
    }
}
