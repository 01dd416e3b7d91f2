package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tile kernels of {@link Gemm}: C[MR×NR] (=|+=) Ap · Bp over kc steps, where Ap is a
 * packed sliver of A (MR floats per k step) and Bp a packed sliver of B (NR floats per k step).
 * The tile's accumulators live in vector registers for the whole k loop; each step is one load
 * per B vector, one broadcast per A row and MR × (NR / L) fused multiply-adds.
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    static final int L = S.length();
    private static final String SHAPE = System.getProperty("resumo.gemm.tile", "12x2");
    /** Rows of the register tile (broadcast A values). */
    static final int MR = Integer.parseInt(SHAPE.substring(0, SHAPE.indexOf('x')));
    /** Vectors per row of the register tile. */
    static final int NV = Integer.parseInt(SHAPE.substring(SHAPE.indexOf('x') + 1, SHAPE.indexOf('x') + 2));
    /** Columns of the register tile. */
    static final int NR = NV * L;

    private GemmMicroKernel() {}

    static void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        switch (SHAPE) {
            case "6x2" -> kernel6x2(kc, ap, ao, bp, bo, c, co, ldc, add);
            case "12x2" -> kernel12x2(kc, ap, ao, bp, bo, c, co, ldc, add);
            case "8x3" -> kernel8x3(kc, ap, ao, bp, bo, c, co, ldc, add);
            case "12x2u2" -> kernel12x2u2(kc, ap, ao, bp, bo, c, co, ldc, add);
            case "8x3u2" -> kernel8x3u2(kc, ap, ao, bp, bo, c, co, ldc, add);
            case "14x2" -> kernel14x2(kc, ap, ao, bp, bo, c, co, ldc, add);
            case "10x2" -> kernel10x2(kc, ap, ao, bp, bo, c, co, ldc, add);
            case "4x4" -> kernel4x4(kc, ap, ao, bp, bo, c, co, ldc, add);
            case "12x2u4" -> kernel12x2u4(kc, ap, ao, bp, bo, c, co, ldc, add);
            default -> throw new IllegalStateException("no kernel for tile " + SHAPE);
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

    /** 8 rows × 3 vectors: 24 accumulators stay in registers for the whole k loop. */
    static void kernel8x3(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c62 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S), c72 = FloatVector.zero(S);
        int p = 0;
        for (; p + 0 < kc; p += 1) {
            int bi = bo + p * 3 * L;
            int ai = ao + p * 8;
            {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi + 0 * L);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + 1 * L);
                FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
                FloatVector a;
                a = FloatVector.broadcast(S, ap[ai + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02);
                a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12);
                a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22);
                a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32);
                a = FloatVector.broadcast(S, ap[ai + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41); c42 = a.fma(b2, c42);
                a = FloatVector.broadcast(S, ap[ai + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51); c52 = a.fma(b2, c52);
                a = FloatVector.broadcast(S, ap[ai + 6]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61); c62 = a.fma(b2, c62);
                a = FloatVector.broadcast(S, ap[ai + 7]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71); c72 = a.fma(b2, c72);
            }
        }
        if (add) {
            { int o = co; c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c01.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c02.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 1 * ldc; c10.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c11.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c12.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 2 * ldc; c20.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c21.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c22.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 3 * ldc; c30.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c31.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c32.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 4 * ldc; c40.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c41.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c42.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 5 * ldc; c50.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c51.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c52.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 6 * ldc; c60.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c61.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c62.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 7 * ldc; c70.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c71.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c72.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
        } else {
            { int o = co; c00.intoArray(c, o); c01.intoArray(c, o + 1 * L); c02.intoArray(c, o + 2 * L); }
            { int o = co + 1 * ldc; c10.intoArray(c, o); c11.intoArray(c, o + 1 * L); c12.intoArray(c, o + 2 * L); }
            { int o = co + 2 * ldc; c20.intoArray(c, o); c21.intoArray(c, o + 1 * L); c22.intoArray(c, o + 2 * L); }
            { int o = co + 3 * ldc; c30.intoArray(c, o); c31.intoArray(c, o + 1 * L); c32.intoArray(c, o + 2 * L); }
            { int o = co + 4 * ldc; c40.intoArray(c, o); c41.intoArray(c, o + 1 * L); c42.intoArray(c, o + 2 * L); }
            { int o = co + 5 * ldc; c50.intoArray(c, o); c51.intoArray(c, o + 1 * L); c52.intoArray(c, o + 2 * L); }
            { int o = co + 6 * ldc; c60.intoArray(c, o); c61.intoArray(c, o + 1 * L); c62.intoArray(c, o + 2 * L); }
            { int o = co + 7 * ldc; c70.intoArray(c, o); c71.intoArray(c, o + 1 * L); c72.intoArray(c, o + 2 * L); }
        }
    }

    /** 12 rows × 2 vectors: 24 accumulators stay in registers for the whole k loop. */
    static void kernel12x2u2(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
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
        for (; p + 1 < kc; p += 2) {
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
            {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi + 2 * L);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + 3 * L);
                FloatVector a;
                a = FloatVector.broadcast(S, ap[ai + 12]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
                a = FloatVector.broadcast(S, ap[ai + 13]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
                a = FloatVector.broadcast(S, ap[ai + 14]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
                a = FloatVector.broadcast(S, ap[ai + 15]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
                a = FloatVector.broadcast(S, ap[ai + 16]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
                a = FloatVector.broadcast(S, ap[ai + 17]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
                a = FloatVector.broadcast(S, ap[ai + 18]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
                a = FloatVector.broadcast(S, ap[ai + 19]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
                a = FloatVector.broadcast(S, ap[ai + 20]); c80 = a.fma(b0, c80); c81 = a.fma(b1, c81);
                a = FloatVector.broadcast(S, ap[ai + 21]); c90 = a.fma(b0, c90); c91 = a.fma(b1, c91);
                a = FloatVector.broadcast(S, ap[ai + 22]); c100 = a.fma(b0, c100); c101 = a.fma(b1, c101);
                a = FloatVector.broadcast(S, ap[ai + 23]); c110 = a.fma(b0, c110); c111 = a.fma(b1, c111);
            }
        }
        for (; p < kc; p++) {
            int bi = bo + p * 2 * L;
            int ai = ao + p * 12;
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

    /** 8 rows × 3 vectors: 24 accumulators stay in registers for the whole k loop. */
    static void kernel8x3u2(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c62 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S), c72 = FloatVector.zero(S);
        int p = 0;
        for (; p + 1 < kc; p += 2) {
            int bi = bo + p * 3 * L;
            int ai = ao + p * 8;
            {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi + 0 * L);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + 1 * L);
                FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
                FloatVector a;
                a = FloatVector.broadcast(S, ap[ai + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02);
                a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12);
                a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22);
                a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32);
                a = FloatVector.broadcast(S, ap[ai + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41); c42 = a.fma(b2, c42);
                a = FloatVector.broadcast(S, ap[ai + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51); c52 = a.fma(b2, c52);
                a = FloatVector.broadcast(S, ap[ai + 6]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61); c62 = a.fma(b2, c62);
                a = FloatVector.broadcast(S, ap[ai + 7]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71); c72 = a.fma(b2, c72);
            }
            {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi + 3 * L);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + 4 * L);
                FloatVector b2 = FloatVector.fromArray(S, bp, bi + 5 * L);
                FloatVector a;
                a = FloatVector.broadcast(S, ap[ai + 8]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02);
                a = FloatVector.broadcast(S, ap[ai + 9]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12);
                a = FloatVector.broadcast(S, ap[ai + 10]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22);
                a = FloatVector.broadcast(S, ap[ai + 11]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32);
                a = FloatVector.broadcast(S, ap[ai + 12]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41); c42 = a.fma(b2, c42);
                a = FloatVector.broadcast(S, ap[ai + 13]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51); c52 = a.fma(b2, c52);
                a = FloatVector.broadcast(S, ap[ai + 14]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61); c62 = a.fma(b2, c62);
                a = FloatVector.broadcast(S, ap[ai + 15]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71); c72 = a.fma(b2, c72);
            }
        }
        for (; p < kc; p++) {
            int bi = bo + p * 3 * L;
            int ai = ao + p * 8;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32);
            a = FloatVector.broadcast(S, ap[ai + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41); c42 = a.fma(b2, c42);
            a = FloatVector.broadcast(S, ap[ai + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51); c52 = a.fma(b2, c52);
            a = FloatVector.broadcast(S, ap[ai + 6]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61); c62 = a.fma(b2, c62);
            a = FloatVector.broadcast(S, ap[ai + 7]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71); c72 = a.fma(b2, c72);
        }
        if (add) {
            { int o = co; c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c01.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c02.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 1 * ldc; c10.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c11.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c12.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 2 * ldc; c20.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c21.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c22.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 3 * ldc; c30.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c31.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c32.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 4 * ldc; c40.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c41.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c42.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 5 * ldc; c50.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c51.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c52.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 6 * ldc; c60.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c61.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c62.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
            { int o = co + 7 * ldc; c70.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c71.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c72.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); }
        } else {
            { int o = co; c00.intoArray(c, o); c01.intoArray(c, o + 1 * L); c02.intoArray(c, o + 2 * L); }
            { int o = co + 1 * ldc; c10.intoArray(c, o); c11.intoArray(c, o + 1 * L); c12.intoArray(c, o + 2 * L); }
            { int o = co + 2 * ldc; c20.intoArray(c, o); c21.intoArray(c, o + 1 * L); c22.intoArray(c, o + 2 * L); }
            { int o = co + 3 * ldc; c30.intoArray(c, o); c31.intoArray(c, o + 1 * L); c32.intoArray(c, o + 2 * L); }
            { int o = co + 4 * ldc; c40.intoArray(c, o); c41.intoArray(c, o + 1 * L); c42.intoArray(c, o + 2 * L); }
            { int o = co + 5 * ldc; c50.intoArray(c, o); c51.intoArray(c, o + 1 * L); c52.intoArray(c, o + 2 * L); }
            { int o = co + 6 * ldc; c60.intoArray(c, o); c61.intoArray(c, o + 1 * L); c62.intoArray(c, o + 2 * L); }
            { int o = co + 7 * ldc; c70.intoArray(c, o); c71.intoArray(c, o + 1 * L); c72.intoArray(c, o + 2 * L); }
        }
    }

    /** 14 rows × 2 vectors: 28 accumulators stay in registers for the whole k loop. */
    static void kernel14x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
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
        FloatVector c120 = FloatVector.zero(S), c121 = FloatVector.zero(S);
        FloatVector c130 = FloatVector.zero(S), c131 = FloatVector.zero(S);
        int p = 0;
        for (; p + 0 < kc; p += 1) {
            int bi = bo + p * 2 * L;
            int ai = ao + p * 14;
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
                a = FloatVector.broadcast(S, ap[ai + 12]); c120 = a.fma(b0, c120); c121 = a.fma(b1, c121);
                a = FloatVector.broadcast(S, ap[ai + 13]); c130 = a.fma(b0, c130); c131 = a.fma(b1, c131);
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
            { int o = co + 12 * ldc; c120.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c121.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
            { int o = co + 13 * ldc; c130.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c131.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); }
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
            { int o = co + 12 * ldc; c120.intoArray(c, o); c121.intoArray(c, o + 1 * L); }
            { int o = co + 13 * ldc; c130.intoArray(c, o); c131.intoArray(c, o + 1 * L); }
        }
    }

    /** 10 rows × 2 vectors: 20 accumulators stay in registers for the whole k loop. */
    static void kernel10x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
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
        int p = 0;
        for (; p + 0 < kc; p += 1) {
            int bi = bo + p * 2 * L;
            int ai = ao + p * 10;
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
        }
    }

    /** 4 rows × 4 vectors: 16 accumulators stay in registers for the whole k loop. */
    static void kernel4x4(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        int p = 0;
        for (; p + 0 < kc; p += 1) {
            int bi = bo + p * 4 * L;
            int ai = ao + p * 4;
            {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi + 0 * L);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + 1 * L);
                FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
                FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * L);
                FloatVector a;
                a = FloatVector.broadcast(S, ap[ai + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
                a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12); c13 = a.fma(b3, c13);
                a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22); c23 = a.fma(b3, c23);
                a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32); c33 = a.fma(b3, c33);
            }
        }
        if (add) {
            { int o = co; c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c01.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c02.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); c03.add(FloatVector.fromArray(S, c, o + 3 * L)).intoArray(c, o + 3 * L); }
            { int o = co + 1 * ldc; c10.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c11.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c12.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); c13.add(FloatVector.fromArray(S, c, o + 3 * L)).intoArray(c, o + 3 * L); }
            { int o = co + 2 * ldc; c20.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c21.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c22.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); c23.add(FloatVector.fromArray(S, c, o + 3 * L)).intoArray(c, o + 3 * L); }
            { int o = co + 3 * ldc; c30.add(FloatVector.fromArray(S, c, o)).intoArray(c, o); c31.add(FloatVector.fromArray(S, c, o + 1 * L)).intoArray(c, o + 1 * L); c32.add(FloatVector.fromArray(S, c, o + 2 * L)).intoArray(c, o + 2 * L); c33.add(FloatVector.fromArray(S, c, o + 3 * L)).intoArray(c, o + 3 * L); }
        } else {
            { int o = co; c00.intoArray(c, o); c01.intoArray(c, o + 1 * L); c02.intoArray(c, o + 2 * L); c03.intoArray(c, o + 3 * L); }
            { int o = co + 1 * ldc; c10.intoArray(c, o); c11.intoArray(c, o + 1 * L); c12.intoArray(c, o + 2 * L); c13.intoArray(c, o + 3 * L); }
            { int o = co + 2 * ldc; c20.intoArray(c, o); c21.intoArray(c, o + 1 * L); c22.intoArray(c, o + 2 * L); c23.intoArray(c, o + 3 * L); }
            { int o = co + 3 * ldc; c30.intoArray(c, o); c31.intoArray(c, o + 1 * L); c32.intoArray(c, o + 2 * L); c33.intoArray(c, o + 3 * L); }
        }
    }

    /** 12 rows × 2 vectors: 24 accumulators stay in registers for the whole k loop. */
    static void kernel12x2u4(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
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
        for (; p + 3 < kc; p += 4) {
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
            {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi + 2 * L);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + 3 * L);
                FloatVector a;
                a = FloatVector.broadcast(S, ap[ai + 12]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
                a = FloatVector.broadcast(S, ap[ai + 13]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
                a = FloatVector.broadcast(S, ap[ai + 14]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
                a = FloatVector.broadcast(S, ap[ai + 15]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
                a = FloatVector.broadcast(S, ap[ai + 16]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
                a = FloatVector.broadcast(S, ap[ai + 17]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
                a = FloatVector.broadcast(S, ap[ai + 18]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
                a = FloatVector.broadcast(S, ap[ai + 19]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
                a = FloatVector.broadcast(S, ap[ai + 20]); c80 = a.fma(b0, c80); c81 = a.fma(b1, c81);
                a = FloatVector.broadcast(S, ap[ai + 21]); c90 = a.fma(b0, c90); c91 = a.fma(b1, c91);
                a = FloatVector.broadcast(S, ap[ai + 22]); c100 = a.fma(b0, c100); c101 = a.fma(b1, c101);
                a = FloatVector.broadcast(S, ap[ai + 23]); c110 = a.fma(b0, c110); c111 = a.fma(b1, c111);
            }
            {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi + 4 * L);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + 5 * L);
                FloatVector a;
                a = FloatVector.broadcast(S, ap[ai + 24]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
                a = FloatVector.broadcast(S, ap[ai + 25]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
                a = FloatVector.broadcast(S, ap[ai + 26]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
                a = FloatVector.broadcast(S, ap[ai + 27]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
                a = FloatVector.broadcast(S, ap[ai + 28]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
                a = FloatVector.broadcast(S, ap[ai + 29]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
                a = FloatVector.broadcast(S, ap[ai + 30]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
                a = FloatVector.broadcast(S, ap[ai + 31]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
                a = FloatVector.broadcast(S, ap[ai + 32]); c80 = a.fma(b0, c80); c81 = a.fma(b1, c81);
                a = FloatVector.broadcast(S, ap[ai + 33]); c90 = a.fma(b0, c90); c91 = a.fma(b1, c91);
                a = FloatVector.broadcast(S, ap[ai + 34]); c100 = a.fma(b0, c100); c101 = a.fma(b1, c101);
                a = FloatVector.broadcast(S, ap[ai + 35]); c110 = a.fma(b0, c110); c111 = a.fma(b1, c111);
            }
            {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi + 6 * L);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + 7 * L);
                FloatVector a;
                a = FloatVector.broadcast(S, ap[ai + 36]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
                a = FloatVector.broadcast(S, ap[ai + 37]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
                a = FloatVector.broadcast(S, ap[ai + 38]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
                a = FloatVector.broadcast(S, ap[ai + 39]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
                a = FloatVector.broadcast(S, ap[ai + 40]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
                a = FloatVector.broadcast(S, ap[ai + 41]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
                a = FloatVector.broadcast(S, ap[ai + 42]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
                a = FloatVector.broadcast(S, ap[ai + 43]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
                a = FloatVector.broadcast(S, ap[ai + 44]); c80 = a.fma(b0, c80); c81 = a.fma(b1, c81);
                a = FloatVector.broadcast(S, ap[ai + 45]); c90 = a.fma(b0, c90); c91 = a.fma(b1, c91);
                a = FloatVector.broadcast(S, ap[ai + 46]); c100 = a.fma(b0, c100); c101 = a.fma(b1, c101);
                a = FloatVector.broadcast(S, ap[ai + 47]); c110 = a.fma(b0, c110); c111 = a.fma(b1, c111);
            }
        }
        for (; p < kc; p++) {
            int bi = bo + p * 2 * L;
            int ai = ao + p * 12;
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

}
