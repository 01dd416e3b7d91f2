package dev.resumo.engine.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One row times an int8 copy of a weight W [N×K] with a scale per row of W (ŵ_vp = s_v·q_vp, q in
 * [-127, 127]): a quarter of float32's bytes, for {@link ScreenedLogits} at batch 1, where the
 * product is bound by the stream alone. Panel pair q holds, per k-step p, 2L bytes: columns
 * 2q·L .. 2q·L+L-1, then the next L. Each output is s_v times a sum of K products with at most
 * K + 2 rounded operations (four chains over the quarters of the depth, added, then scaled).
 */
final class Int8Panels {
    static final VectorSpecies<Float> S = GemmPanels.S;
    static final int L = S.length();
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, jdk.incubator.vector.VectorShape.forBitSize(L * 8));
    private static final int CHUNK_MACS = 1 << 15;
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[2 * L]);

    private Int8Panels() {}

    static int pairs(int n) {
        return GemmPanels.pairs(n);
    }

    /** Bytes of the packed copy (the last pair padded with zero columns). */
    static int packedLength(int n, int k) {
        return Math.multiplyExact(pairs(n) * 2 * L, k);
    }

    /** s_v: the largest |w_vp| over 127 (0 for a zero row). */
    static float scale(float[] w, int rowStart, int k) {
        float max = 0f;
        for (int p = 0; p < k; p++) max = Math.max(max, Math.abs(w[rowStart + p]));
        return max / 127f;
    }

    /** q = round(w / s), within [-127, 127]. */
    static byte quantize(float x, float s) {
        if (s == 0f) return 0;
        return (byte) Math.max(-127, Math.min(127, Math.round(x / s)));
    }

    /** Packs W [n×k] (row-major at wOff) with the given per-row scales; columns past n stay zero. */
    static void pack(float[] w, int wOff, int n, int k, float[] scales, byte[] out) {
        Workers.parallelFor(pairs(n), Math.max(1, (1 << 16) / Math.max(1, k * L)), (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                int base = q * k * 2 * L;
                for (int j = 0; j < 2 * L; j++) {
                    int col = 2 * q * L + j;
                    if (col >= n) continue;
                    int src = wOff + col * k;
                    for (int p = 0; p < k; p++) out[base + p * 2 * L + j] = quantize(w[src + p], scales[col]);
                }
            }
        });
    }

    /** c[v] = s_v · Σ_p a_p q_vp for the one row a (k floats at aOff). */
    static void multiplyRow(int n, int k, float[] a, int aOff, byte[] panels, float[] scales, float[] c, int cOff) {
        int grain = Math.max(1, CHUNK_MACS / Math.max(1, k * 2 * L));
        Workers.parallelFor(pairs(n), grain, (q0, q1) -> {
            float[] acc = TILE.get();
            for (int q = q0; q < q1; q++) {
                tile1(k, a, aOff, panels, q * k * 2 * L, acc);
                int j0 = 2 * q * L;
                int columns = Math.min(2 * L, n - j0);
                for (int j = 0; j < columns; j++) c[cOff + j0 + j] = acc[j] * scales[j0 + j];
            }
        });
    }

    private static FloatVector floats(byte[] b, int at) {
        return (FloatVector) ByteVector.fromArray(B, b, at).convertShape(VectorOperators.B2F, S, 0);
    }

    /** The depth as four quarters at once (four streams, eight chains), as Bf16Panels' one-row tile. */
    private static void tile1(int k, float[] a, int a0, byte[] b, int b0, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector s0 = z, s1 = z, t0 = z, t1 = z, u0 = z, u1 = z, w0 = z, w1 = z;
        int q = k >> 2, step = 2 * L;
        for (int p = 0; p < q; p++) {
            int o0 = b0 + p * step, o1 = o0 + q * step, o2 = o1 + q * step, o3 = o2 + q * step;
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]), x1 = FloatVector.broadcast(S, a[a0 + q + p]);
            FloatVector x2 = FloatVector.broadcast(S, a[a0 + 2 * q + p]), x3 = FloatVector.broadcast(S, a[a0 + 3 * q + p]);
            s0 = x0.fma(floats(b, o0), s0); s1 = x0.fma(floats(b, o0 + L), s1);
            t0 = x1.fma(floats(b, o1), t0); t1 = x1.fma(floats(b, o1 + L), t1);
            u0 = x2.fma(floats(b, o2), u0); u1 = x2.fma(floats(b, o2 + L), u1);
            w0 = x3.fma(floats(b, o3), w0); w1 = x3.fma(floats(b, o3 + L), w1);
        }
        for (int p = 4 * q; p < k; p++) {
            int o = b0 + p * step;
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            s0 = x.fma(floats(b, o), s0); s1 = x.fma(floats(b, o + L), s1);
        }
        s0.add(t0).add(u0.add(w0)).intoArray(acc, 0);
        s1.add(t1).add(u1.add(w1)).intoArray(acc, L);
    }
}
