package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tile kernels of {@link Gemm}: C[MR×NR] (=|+=) Ap · Bp over kc steps, where Ap is a
 * packed sliver of A (MR floats per k step) and Bp a packed sliver of B (NR floats per k step).
 * The tile's accumulators live in vector registers for the whole k loop; each step is one load
 * per B vector, one broadcast per A row and MR × 2 fused multiply-adds.
 *
 * <p>Tile shape, measured on AVX-512 (32 vector registers) with the kernel alone, GFLOP/s per core
 * against an FMA peak of about 240: 12×2 vectors 195–215, 8×3 170–190, 6×4 160–180, 6×2 175,
 * 4×6 135; unrolling the k loop by hand made it slower, and stepping the two indices directly
 * (ai += MR, bi += NR) was 0–8% faster than computing them from a step counter. 12×2 uses 24 accumulators + 2 B vectors +
 * 1 broadcast = 27 registers. With 16 registers (AVX2 and narrower) 6×2 (15 registers) is used.
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    static final int L = S.length();
    /** Rows of the register tile (broadcast A values). */
    static final int MR = L >= 16 ? 12 : 6;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;

    private GemmMicroKernel() {}

    /** Runs the tile kernel on a full MR×NR tile of C at {@code co} with row stride {@code ldc}. */
    static void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        if (MR == 12) {
            kernel12x2(kc, ap, ao, bp, bo, c, co, ldc, add);
        } else {
            kernel6x2(kc, ap, ao, bp, bo, c, co, ldc, add);
        }
    }

    /** 12 rows × 2 vectors: 24 accumulators stay in registers for the whole k loop. */
    static void kernel12x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S);
        FloatVector c8_0 = FloatVector.zero(S), c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S), c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S), c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S), c11_1 = FloatVector.zero(S);
        for (int ai = ao, bi = bo, aEnd = ao + kc * 12; ai < aEnd; ai += 12, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, ap[ai + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, ap[ai + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, ap[ai + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, ap[ai + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, ap[ai + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
            a = FloatVector.broadcast(S, ap[ai + 6]); c6_0 = a.fma(b0, c6_0); c6_1 = a.fma(b1, c6_1);
            a = FloatVector.broadcast(S, ap[ai + 7]); c7_0 = a.fma(b0, c7_0); c7_1 = a.fma(b1, c7_1);
            a = FloatVector.broadcast(S, ap[ai + 8]); c8_0 = a.fma(b0, c8_0); c8_1 = a.fma(b1, c8_1);
            a = FloatVector.broadcast(S, ap[ai + 9]); c9_0 = a.fma(b0, c9_0); c9_1 = a.fma(b1, c9_1);
            a = FloatVector.broadcast(S, ap[ai + 10]); c10_0 = a.fma(b0, c10_0); c10_1 = a.fma(b1, c10_1);
            a = FloatVector.broadcast(S, ap[ai + 11]); c11_0 = a.fma(b0, c11_0); c11_1 = a.fma(b1, c11_1);
        }
        if (add) {
            int o0 = co; c0_0.add(FloatVector.fromArray(S, c, o0)).intoArray(c, o0); c0_1.add(FloatVector.fromArray(S, c, o0 + L)).intoArray(c, o0 + L);
            int o1 = co + ldc; c1_0.add(FloatVector.fromArray(S, c, o1)).intoArray(c, o1); c1_1.add(FloatVector.fromArray(S, c, o1 + L)).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc; c2_0.add(FloatVector.fromArray(S, c, o2)).intoArray(c, o2); c2_1.add(FloatVector.fromArray(S, c, o2 + L)).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc; c3_0.add(FloatVector.fromArray(S, c, o3)).intoArray(c, o3); c3_1.add(FloatVector.fromArray(S, c, o3 + L)).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc; c4_0.add(FloatVector.fromArray(S, c, o4)).intoArray(c, o4); c4_1.add(FloatVector.fromArray(S, c, o4 + L)).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc; c5_0.add(FloatVector.fromArray(S, c, o5)).intoArray(c, o5); c5_1.add(FloatVector.fromArray(S, c, o5 + L)).intoArray(c, o5 + L);
            int o6 = co + 6 * ldc; c6_0.add(FloatVector.fromArray(S, c, o6)).intoArray(c, o6); c6_1.add(FloatVector.fromArray(S, c, o6 + L)).intoArray(c, o6 + L);
            int o7 = co + 7 * ldc; c7_0.add(FloatVector.fromArray(S, c, o7)).intoArray(c, o7); c7_1.add(FloatVector.fromArray(S, c, o7 + L)).intoArray(c, o7 + L);
            int o8 = co + 8 * ldc; c8_0.add(FloatVector.fromArray(S, c, o8)).intoArray(c, o8); c8_1.add(FloatVector.fromArray(S, c, o8 + L)).intoArray(c, o8 + L);
            int o9 = co + 9 * ldc; c9_0.add(FloatVector.fromArray(S, c, o9)).intoArray(c, o9); c9_1.add(FloatVector.fromArray(S, c, o9 + L)).intoArray(c, o9 + L);
            int o10 = co + 10 * ldc; c10_0.add(FloatVector.fromArray(S, c, o10)).intoArray(c, o10); c10_1.add(FloatVector.fromArray(S, c, o10 + L)).intoArray(c, o10 + L);
            int o11 = co + 11 * ldc; c11_0.add(FloatVector.fromArray(S, c, o11)).intoArray(c, o11); c11_1.add(FloatVector.fromArray(S, c, o11 + L)).intoArray(c, o11 + L);
        } else {
            int o0 = co; c0_0.intoArray(c, o0); c0_1.intoArray(c, o0 + L);
            int o1 = co + ldc; c1_0.intoArray(c, o1); c1_1.intoArray(c, o1 + L);
            int o2 = co + 2 * ldc; c2_0.intoArray(c, o2); c2_1.intoArray(c, o2 + L);
            int o3 = co + 3 * ldc; c3_0.intoArray(c, o3); c3_1.intoArray(c, o3 + L);
            int o4 = co + 4 * ldc; c4_0.intoArray(c, o4); c4_1.intoArray(c, o4 + L);
            int o5 = co + 5 * ldc; c5_0.intoArray(c, o5); c5_1.intoArray(c, o5 + L);
            int o6 = co + 6 * ldc; c6_0.intoArray(c, o6); c6_1.intoArray(c, o6 + L);
            int o7 = co + 7 * ldc; c7_0.intoArray(c, o7); c7_1.intoArray(c, o7 + L);
            int o8 = co + 8 * ldc; c8_0.intoArray(c, o8); c8_1.intoArray(c, o8 + L);
            int o9 = co + 9 * ldc; c9_0.intoArray(c, o9); c9_1.intoArray(c, o9 + L);
            int o10 = co + 10 * ldc; c10_0.intoArray(c, o10); c10_1.intoArray(c, o10 + L);
            int o11 = co + 11 * ldc; c11_0.intoArray(c, o11); c11_1.intoArray(c, o11 + L);
        }
    }

    /** 6 rows × 2 vectors: 12 accumulators stay in registers for the whole k loop. */
    static void kernel6x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
        for (int ai = ao, bi = bo, aEnd = ao + kc * 6; ai < aEnd; ai += 6, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, ap[ai + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, ap[ai + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, ap[ai + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, ap[ai + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, ap[ai + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
        }
        if (add) {
            int o0 = co; c0_0.add(FloatVector.fromArray(S, c, o0)).intoArray(c, o0); c0_1.add(FloatVector.fromArray(S, c, o0 + L)).intoArray(c, o0 + L);
            int o1 = co + ldc; c1_0.add(FloatVector.fromArray(S, c, o1)).intoArray(c, o1); c1_1.add(FloatVector.fromArray(S, c, o1 + L)).intoArray(c, o1 + L);
            int o2 = co + 2 * ldc; c2_0.add(FloatVector.fromArray(S, c, o2)).intoArray(c, o2); c2_1.add(FloatVector.fromArray(S, c, o2 + L)).intoArray(c, o2 + L);
            int o3 = co + 3 * ldc; c3_0.add(FloatVector.fromArray(S, c, o3)).intoArray(c, o3); c3_1.add(FloatVector.fromArray(S, c, o3 + L)).intoArray(c, o3 + L);
            int o4 = co + 4 * ldc; c4_0.add(FloatVector.fromArray(S, c, o4)).intoArray(c, o4); c4_1.add(FloatVector.fromArray(S, c, o4 + L)).intoArray(c, o4 + L);
            int o5 = co + 5 * ldc; c5_0.add(FloatVector.fromArray(S, c, o5)).intoArray(c, o5); c5_1.add(FloatVector.fromArray(S, c, o5 + L)).intoArray(c, o5 + L);
        } else {
            int o0 = co; c0_0.intoArray(c, o0); c0_1.intoArray(c, o0 + L);
            int o1 = co + ldc; c1_0.intoArray(c, o1); c1_1.intoArray(c, o1 + L);
            int o2 = co + 2 * ldc; c2_0.intoArray(c, o2); c2_1.intoArray(c, o2 + L);
            int o3 = co + 3 * ldc; c3_0.intoArray(c, o3); c3_1.intoArray(c, o3 + L);
            int o4 = co + 4 * ldc; c4_0.intoArray(c, o4); c4_1.intoArray(c, o4 + L);
            int o5 = co + 5 * ldc; c5_0.intoArray(c, o5); c5_1.intoArray(c, o5 + L);
        }
    }
}
