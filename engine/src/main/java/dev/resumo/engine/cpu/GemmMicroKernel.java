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
 * 4×6 135; stepping the two indices directly (ai += MR, bi += NR) was 0–8% faster than computing
 * them from a step counter. 12×2 uses 24 accumulators + 2 B vectors + 1 broadcast = 27 registers.
 * With 16 registers (AVX2 and narrower) 6×2 (15 registers) is used.
 *
 * <p>The 12×2 loop takes two k steps per iteration. The disassembled loop (objdump of C2's code)
 * had, per k step, besides the 24 FMAs and 14 loads: two bounds tests of the B loads (C2 hoists
 * the A ones, whose index is the loop variable, not those of the second index), two index
 * updates, a compare and a branch — scalar µops that share ports 0 and 5 with the FMAs. Two steps
 * per iteration halve them: 2 threads, operands not in cache, three interleaved runs each,
 * GFLOP/s before → after: 2048×2048×512 A·Bᵀ 254-262 → 287-305, 2048×512×512 A·Bᵀ 259-288 →
 * 289-308, 512×512×2048 Aᵀ·B 243-250 → 261-274, 2048×512×512 A·B 281-307 → 276-289 (noise),
 * 512×512×512 A·B 253-278 → 264-271; the PTT5-small training step 2.12/2.07 → 1.96/1.93 s.
 * Four k steps per iteration went the other way: the kernel alone, operands in L1/L2, one thread,
 * three interleaved rounds, 2 steps → 4 steps: kc 64 154-170 → 145-148 GFLOP/s, kc 256 178-186 →
 * 154-162, kc 512 179-199 → 156-160 (C2's code for the larger loop body was slower; same bits).
 * A 14-row tile (28 accumulators) was 3-5% faster alone but, like a first unrolled 12-row version
 * with its separate add/store paths, was too large for C1: "out of virtual registers in linear
 * scan", after which HotSpot left the method in C1's tier-2 code, where the Vector API is not
 * intrinsified (2 GFLOP/s). Hence the compact form below: C is loaded into the accumulators
 * instead of added at the end (one store path), and the bytecode stays under that limit.
 *
 * <p>Not kept: reading the B stream ahead as {@link GemmPanels} does (one float of each of the 4
 * cache lines 1024 floats ahead per iteration, the packed B buffer padded for it). In one JVM,
 * the two kernels alternating call by call (60 pairs per shape, 2 threads), the plain kernel won
 * 49/60 pairs at 2048×512×512 A·B (median 166 against 148 GFLOP/s), 57/60 at A·Bᵀ (203 / 168),
 * 58/60 at 512×2048×512 Aᵀ·B (179 / 161): here B comes from L2, where the extra loads only take
 * load slots and, when they miss, hold up retirement; the decode panels stream from L3 or memory.
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

    /**
     * 12 rows × 2 vectors: 24 accumulators stay in registers for the whole k loop. With {@code add}
     * they start from C's values (C += A·B as one FMA chain per element), else from zero. The loop
     * takes two k steps per iteration, so its index updates, compare and branch (and the bounds
     * tests of the B loads, which C2 does not hoist for a second induction variable) come once
     * per 48 FMAs. The method is kept small enough for C1: when C1 gave up on a larger variant
     * ("out of virtual registers"), the method stayed in C1's unvectorised code at 2 GFLOP/s.
     */
    static void kernel12x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0_0 = z, c0_1 = z;
        FloatVector c1_0 = z, c1_1 = z;
        FloatVector c2_0 = z, c2_1 = z;
        FloatVector c3_0 = z, c3_1 = z;
        FloatVector c4_0 = z, c4_1 = z;
        FloatVector c5_0 = z, c5_1 = z;
        FloatVector c6_0 = z, c6_1 = z;
        FloatVector c7_0 = z, c7_1 = z;
        FloatVector c8_0 = z, c8_1 = z;
        FloatVector c9_0 = z, c9_1 = z;
        FloatVector c10_0 = z, c10_1 = z;
        FloatVector c11_0 = z, c11_1 = z;
        if (add) {
            c0_0 = FloatVector.fromArray(S, c, co + 0 * ldc); c0_1 = FloatVector.fromArray(S, c, co + 0 * ldc + L);
            c1_0 = FloatVector.fromArray(S, c, co + 1 * ldc); c1_1 = FloatVector.fromArray(S, c, co + 1 * ldc + L);
            c2_0 = FloatVector.fromArray(S, c, co + 2 * ldc); c2_1 = FloatVector.fromArray(S, c, co + 2 * ldc + L);
            c3_0 = FloatVector.fromArray(S, c, co + 3 * ldc); c3_1 = FloatVector.fromArray(S, c, co + 3 * ldc + L);
            c4_0 = FloatVector.fromArray(S, c, co + 4 * ldc); c4_1 = FloatVector.fromArray(S, c, co + 4 * ldc + L);
            c5_0 = FloatVector.fromArray(S, c, co + 5 * ldc); c5_1 = FloatVector.fromArray(S, c, co + 5 * ldc + L);
            c6_0 = FloatVector.fromArray(S, c, co + 6 * ldc); c6_1 = FloatVector.fromArray(S, c, co + 6 * ldc + L);
            c7_0 = FloatVector.fromArray(S, c, co + 7 * ldc); c7_1 = FloatVector.fromArray(S, c, co + 7 * ldc + L);
            c8_0 = FloatVector.fromArray(S, c, co + 8 * ldc); c8_1 = FloatVector.fromArray(S, c, co + 8 * ldc + L);
            c9_0 = FloatVector.fromArray(S, c, co + 9 * ldc); c9_1 = FloatVector.fromArray(S, c, co + 9 * ldc + L);
            c10_0 = FloatVector.fromArray(S, c, co + 10 * ldc); c10_1 = FloatVector.fromArray(S, c, co + 10 * ldc + L);
            c11_0 = FloatVector.fromArray(S, c, co + 11 * ldc); c11_1 = FloatVector.fromArray(S, c, co + 11 * ldc + L);
        }
        FloatVector a, b0, b1;
        int ai = ao, bi = bo;
        for (int aEnd = ao + (kc & ~1) * 12; ai < aEnd; ai += 24, bi += 4 * L) {
            b0 = FloatVector.fromArray(S, bp, bi);
            b1 = FloatVector.fromArray(S, bp, bi + L);
            a = FloatVector.broadcast(S, ap[ai + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
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
            b0 = FloatVector.fromArray(S, bp, bi + 2 * L);
            b1 = FloatVector.fromArray(S, bp, bi + 2 * L + L);
            a = FloatVector.broadcast(S, ap[ai + 12 + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, ap[ai + 12 + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, ap[ai + 12 + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, ap[ai + 12 + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, ap[ai + 12 + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, ap[ai + 12 + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
            a = FloatVector.broadcast(S, ap[ai + 12 + 6]); c6_0 = a.fma(b0, c6_0); c6_1 = a.fma(b1, c6_1);
            a = FloatVector.broadcast(S, ap[ai + 12 + 7]); c7_0 = a.fma(b0, c7_0); c7_1 = a.fma(b1, c7_1);
            a = FloatVector.broadcast(S, ap[ai + 12 + 8]); c8_0 = a.fma(b0, c8_0); c8_1 = a.fma(b1, c8_1);
            a = FloatVector.broadcast(S, ap[ai + 12 + 9]); c9_0 = a.fma(b0, c9_0); c9_1 = a.fma(b1, c9_1);
            a = FloatVector.broadcast(S, ap[ai + 12 + 10]); c10_0 = a.fma(b0, c10_0); c10_1 = a.fma(b1, c10_1);
            a = FloatVector.broadcast(S, ap[ai + 12 + 11]); c11_0 = a.fma(b0, c11_0); c11_1 = a.fma(b1, c11_1);
        }
        if ((kc & 1) != 0) {
            b0 = FloatVector.fromArray(S, bp, bi);
            b1 = FloatVector.fromArray(S, bp, bi + L);
            a = FloatVector.broadcast(S, ap[ai + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
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
        c0_0.intoArray(c, co + 0 * ldc); c0_1.intoArray(c, co + 0 * ldc + L);
        c1_0.intoArray(c, co + 1 * ldc); c1_1.intoArray(c, co + 1 * ldc + L);
        c2_0.intoArray(c, co + 2 * ldc); c2_1.intoArray(c, co + 2 * ldc + L);
        c3_0.intoArray(c, co + 3 * ldc); c3_1.intoArray(c, co + 3 * ldc + L);
        c4_0.intoArray(c, co + 4 * ldc); c4_1.intoArray(c, co + 4 * ldc + L);
        c5_0.intoArray(c, co + 5 * ldc); c5_1.intoArray(c, co + 5 * ldc + L);
        c6_0.intoArray(c, co + 6 * ldc); c6_1.intoArray(c, co + 6 * ldc + L);
        c7_0.intoArray(c, co + 7 * ldc); c7_1.intoArray(c, co + 7 * ldc + L);
        c8_0.intoArray(c, co + 8 * ldc); c8_1.intoArray(c, co + 8 * ldc + L);
        c9_0.intoArray(c, co + 9 * ldc); c9_1.intoArray(c, co + 9 * ldc + L);
        c10_0.intoArray(c, co + 10 * ldc); c10_1.intoArray(c, co + 10 * ldc + L);
        c11_0.intoArray(c, co + 11 * ldc); c11_1.intoArray(c, co + 11 * ldc + L);
    }

    /**
     * 6 rows × 2 vectors (16 registers: AVX2): 12 accumulators stay in registers for the whole k
     * loop; with {@code add} they start from C, as in {@link #kernel12x2}, so every element is one
     * FMA chain over k on this path too.
     */
    static void kernel6x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0_0 = z, c0_1 = z;
        FloatVector c1_0 = z, c1_1 = z;
        FloatVector c2_0 = z, c2_1 = z;
        FloatVector c3_0 = z, c3_1 = z;
        FloatVector c4_0 = z, c4_1 = z;
        FloatVector c5_0 = z, c5_1 = z;
        if (add) {
            c0_0 = FloatVector.fromArray(S, c, co + 0 * ldc); c0_1 = FloatVector.fromArray(S, c, co + 0 * ldc + L);
            c1_0 = FloatVector.fromArray(S, c, co + 1 * ldc); c1_1 = FloatVector.fromArray(S, c, co + 1 * ldc + L);
            c2_0 = FloatVector.fromArray(S, c, co + 2 * ldc); c2_1 = FloatVector.fromArray(S, c, co + 2 * ldc + L);
            c3_0 = FloatVector.fromArray(S, c, co + 3 * ldc); c3_1 = FloatVector.fromArray(S, c, co + 3 * ldc + L);
            c4_0 = FloatVector.fromArray(S, c, co + 4 * ldc); c4_1 = FloatVector.fromArray(S, c, co + 4 * ldc + L);
            c5_0 = FloatVector.fromArray(S, c, co + 5 * ldc); c5_1 = FloatVector.fromArray(S, c, co + 5 * ldc + L);
        }
        for (int ai = ao, bi = bo, aEnd = ao + kc * 6; ai < aEnd; ai += 6, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, ap[ai + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, ap[ai + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, ap[ai + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, ap[ai + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, ap[ai + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
        }
        c0_0.intoArray(c, co + 0 * ldc); c0_1.intoArray(c, co + 0 * ldc + L);
        c1_0.intoArray(c, co + 1 * ldc); c1_1.intoArray(c, co + 1 * ldc + L);
        c2_0.intoArray(c, co + 2 * ldc); c2_1.intoArray(c, co + 2 * ldc + L);
        c3_0.intoArray(c, co + 3 * ldc); c3_1.intoArray(c, co + 3 * ldc + L);
        c4_0.intoArray(c, co + 4 * ldc); c4_1.intoArray(c, co + 4 * ldc + L);
        c5_0.intoArray(c, co + 5 * ldc); c5_1.intoArray(c, co + 5 * ldc + L);
    }
}
