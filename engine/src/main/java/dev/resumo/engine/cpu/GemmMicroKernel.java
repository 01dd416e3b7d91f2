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
 * 4×6 135; unrolling the k loop by hand made it slower. 12×2 uses 24 accumulators + 2 B vectors +
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
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
        FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
        FloatVector c100 = FloatVector.zero(S), c101 = FloatVector.zero(S);
        FloatVector c110 = FloatVector.zero(S), c111 = FloatVector.zero(S);
        int p = 0;
        for (; p + 0 < kc; p += 1) {
            int bi = bo + p * 2 * L;
            int ai = ao + p * 12;
            {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi + 0 * L);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + 1 * L);
                FloatVector a;
                a = FloatVector.broadcast(S, ap[ai + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
                a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
                a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
                a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
                a = FloatVector.broadcast(S, ap[ai + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
                a = FloatVector.broadcast(S, ap[ai + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
                a = FloatVector.broadcast(S, ap[ai + 6]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
                a = FloatVector.broadcast(S, ap[ai + 7]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
                a = FloatVector.broadcast(S, ap[ai + 8]); c80 = a.fma(b0, c80); c81 = a.fma(b1, c81);
                a = FloatVector.broadcast(S, ap[ai + 9]); c90 = a.fma(b0, c90); c91 = a.fma(b1, c91);
                a = FloatVector.broadcast(S, ap[ai + 10]); c100 = a.fma(b0, c100); c101 = a.fma(b1, c101);
                a = FloatVector.broadcast(S, ap[ai + 11]); c110 = a.fma(b0, c110); c111 = a.fma(b1, c111);
            }
        }
        if (add) {
            { int o = co; c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c01.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 1 * ldc; c10.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c11.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 2 * ldc; c20.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c21.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 3 * ldc; c30.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c31.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 4 * ldc; c40.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c41.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 5 * ldc; c50.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c51.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 6 * ldc; c60.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c61.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 7 * ldc; c70.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c71.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 8 * ldc; c80.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c81.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 9 * ldc; c90.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c91.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 10 * ldc; c100.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c101.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 11 * ldc; c110.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c111.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
        } else {
            { int o = co; c00.intoArray(c, o); c01.intoArray(c, o + 1 * L); }
            { int o = co + 1 * ldc; c10.intoArray(c, o); c11.intoArray(c, o + 1 * L); }
            { int o = co + 2 * ldc; c20.intoArray(c, o); c21.intoArray(c, o + 1 * L); }
            { int o = co + 3 * ldc; c30.intoArray(c, o); c31.intoArray(c, o + 1 * L); }
            { int o = co + 4 * ldc; c40.intoArray(c, o); c41.intoArray(c, o + 1 * L); }
            { int o = co + 5 * ldc; c50.intoArray(c, o); c51.intoArray(c, o + 1 * L); }
            { int o = co + 6 * ldc; c60.intoArray(c, o); c61.intoArray(c, o + 1 * L); }
            { int o = co + 7 * ldc; c70.intoArray(c, o); c71.intoArray(c, o + 1 * L); }
            { int o = co + 8 * ldc; c80.intoArray(c, o); c81.intoArray(c, o + 1 * L); }
            { int o = co + 9 * ldc; c90.intoArray(c, o); c91.intoArray(c, o + 1 * L); }
            { int o = co + 10 * ldc; c100.intoArray(c, o); c101.intoArray(c, o + 1 * L); }
            { int o = co + 11 * ldc; c110.intoArray(c, o); c111.intoArray(c, o + 1 * L); }
        }
    }

    /** 6 rows × 2 vectors: 12 accumulators stay in registers for the whole k loop. */
    static void kernel6x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int p = 0;
        for (; p + 0 < kc; p += 1) {
            int bi = bo + p * 2 * L;
            int ai = ao + p * 6;
            {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi + 0 * L);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + 1 * L);
                FloatVector a;
                a = FloatVector.broadcast(S, ap[ai + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
                a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
                a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
                a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
                a = FloatVector.broadcast(S, ap[ai + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
                a = FloatVector.broadcast(S, ap[ai + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            }
        }
        if (add) {
            { int o = co; c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c01.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 1 * ldc; c10.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c11.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 2 * ldc; c20.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c21.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 3 * ldc; c30.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c31.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 4 * ldc; c40.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c41.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 5 * ldc; c50.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c51.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
        } else {
            { int o = co; c00.intoArray(c, o); c01.intoArray(c, o + 1 * L); }
            { int o = co + 1 * ldc; c10.intoArray(c, o); c11.intoArray(c, o + 1 * L); }
            { int o = co + 2 * ldc; c20.intoArray(c, o); c21.intoArray(c, o + 1 * L); }
            { int o = co + 3 * ldc; c30.intoArray(c, o); c31.intoArray(c, o + 1 * L); }
            { int o = co + 4 * ldc; c40.intoArray(c, o); c41.intoArray(c, o + 1 * L); }
            { int o = co + 5 * ldc; c50.intoArray(c, o); c51.intoArray(c, o + 1 * L); }
        }
    }

}
