package dev.resumo.engine.cpu;

import static dev.resumo.engine.cpu.GemmMicroKernel.MR;
import static dev.resumo.engine.cpu.GemmMicroKernel.NR;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the sliver layout the tile kernels read sequentially.
 * Packing is where the layouts differ (A or Aᵀ, B or Bᵀ), so one tile kernel serves them all.
 * Slivers at the matrix edge are zero-padded to a full MR or NR, which keeps the kernel free of tails.
 */
final class GemmPacking {
    private GemmPacking() {}

    /**
     * Packs rows [ic, ic+mc) × columns [pc, pc+kc) of op(A) as ceil(mc/MR) slivers; sliver s
     * starts at {@code s * kc * MR} and holds MR floats per k step.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] dst) {
        packA(transA, a, aOff, lda, ic, mc, pc, kc, dst, 0);
    }

    /** As above, the slivers starting at dst[dstOff] (a part of a panel shared by the workers). */
    static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] dst,
                      int dstOff) {
        int from = 0;
        if (transA && MR <= GemmMicroKernel.L) {
            from = packTransposedFullSlivers(a, aOff + pc * lda + ic, lda, mc / MR, kc, dst, dstOff);
        }
        for (int s = from / MR, i = from; i < mc; s++, i += MR) {
            int rows = Math.min(MR, mc - i);
            int d = dstOff + s * kc * MR;
            if (transA) {
                // Stored K×M, a sliver the vector path above did not take (the edge, or MR > L):
                // the MR values of one k step are adjacent.
                int src = aOff + pc * lda + ic + i;
                for (int p = 0; p < kc; p++, src += lda, d += MR) {
                    System.arraycopy(a, src, dst, d, rows);
                    if (rows < MR) Arrays.fill(dst, d + rows, d + MR, 0f);
                }
            } else if (rows == MR && MR == 12 && GemmMicroKernel.L == 16) {
                gatherRows(a, aOff + (ic + i) * lda + pc, lda, kc, dst, d);
            } else {
                // Stored M×K: each row is a contiguous run over k; interleave MR of them.
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (ic + i + r) * lda + pc;
                    for (int p = 0, o = d + r; p < kc; p++, o += MR) dst[o] = a[src + p];
                }
                for (int r = rows; r < MR; r++) {
                    for (int p = 0, o = d + r; p < kc; p++, o += MR) dst[o] = 0f;
                }
            }
        }
    }

    /**
     * Packs slivers [s0, s1) of rows [pc, pc+kc) × columns [jc, jc+nc) of op(B); sliver s
     * covers columns jc + s*NR and starts at {@code s * kc * NR}, NR floats per k step.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc,
                      float[] dst, int s0, int s1) {
        if (!transB && NR == 2 * GemmMicroKernel.L) {
            s0 = packFullSliversByRows(b, bOff, ldb, pc, kc, jc, dst, s0, Math.min(s1, nc / NR));
        }
        for (int s = s0; s < s1; s++) {
            int j = s * NR;
            int cols = Math.min(NR, nc - j);
            int d = s * kc * NR;
            if (transB && cols == NR) {
                gatherColumns(b, bOff + (jc + j) * ldb + pc, ldb, kc, dst, d);
            } else if (transB) {
                // Stored N×K: each column of op(B) is a contiguous run over k.
                for (int jj = 0; jj < cols; jj++) {
                    int src = bOff + (jc + j + jj) * ldb + pc;
                    for (int p = 0, o = d + jj; p < kc; p++, o += NR) dst[o] = b[src + p];
                }
                for (int jj = cols; jj < NR; jj++) {
                    for (int p = 0, o = d + jj; p < kc; p++, o += NR) dst[o] = 0f;
                }
            } else {
                // Stored K×N: the NR values of one k step are adjacent.
                int src = bOff + pc * ldb + jc + j;
                for (int p = 0; p < kc; p++, src += ldb, d += NR) {
                    System.arraycopy(b, src, dst, d, cols);
                    if (cols < NR) Arrays.fill(dst, d + cols, d + NR, 0f);
                }
            }
        }
    }

    /**
     * Packs the full slivers [s0, s1) of B stored K×N (each k step of a sliver is NR adjacent
     * floats of one stored row) walking along k outside and along the slivers inside: each stored
     * row is read as one sequential run and copied by vectors. The sliver-by-sliver walk read a
     * 128-byte strip of every row, ldb floats apart, with a System.arraycopy call per strip:
     * measured on one core, B not in cache, 0.26 → 0.22 ns per float for 512×512, 0.75-0.81 →
     * 0.26-0.27 for 2048×512 and 0.81 → 0.44 for 2048×2048 (the weight-gradient products' B).
     * Returns s1, where the caller goes on (an edge sliver, if any).
     */
    private static int packFullSliversByRows(float[] b, int bOff, int ldb, int pc, int kc, int jc, float[] dst, int s0,
                                             int s1) {
        if (s1 <= s0) return s0;
        VectorSpecies<Float> sp = GemmMicroKernel.S;
        int L = GemmMicroKernel.L;
        int sliverSize = kc * NR;
        for (int p = 0; p < kc; p++) {
            int src = bOff + (pc + p) * ldb + jc + s0 * NR;
            for (int s = s0, d = s0 * sliverSize + p * NR; s < s1; s++, d += sliverSize, src += NR) {
                FloatVector.fromArray(sp, b, src).intoArray(dst, d);
                FloatVector.fromArray(sp, b, src + L).intoArray(dst, d + L);
            }
        }
        return s1;
    }

    /**
     * Packs one full sliver of Bᵀ: NR columns of op(B), column jj a run of kc floats at
     * {@code src + jj * ldb}, into dst[d + p * NR + jj]. Each k step is two vector gathers and two
     * sequential vector stores (the scalar transpose cost one load and one store per float).
     */
    private static void gatherColumns(float[] b, int src, int ldb, int kc, float[] dst, int d) {
        int[] idx = COLUMN_INDEX.get();
        if (idx[1] != ldb) {
            for (int jj = 0; jj < NR; jj++) idx[jj] = jj * ldb;
        }
        int L = GemmMicroKernel.L;
        VectorSpecies<Float> sp = GemmMicroKernel.S;
        for (int p = 0, o = d; p < kc; p++, o += NR) {
            FloatVector.fromArray(sp, b, src + p, idx, 0).intoArray(dst, o);
            FloatVector.fromArray(sp, b, src + p, idx, L).intoArray(dst, o + L);
        }
    }

    private static final VectorMask<Float> FIRST_MR = GemmMicroKernel.S.indexInRange(0, MR);

    /**
     * Packs {@code slivers} full slivers of Aᵀ (stored K×M) walking along k outside and along the
     * slivers inside, so each k step reads one contiguous run of {@code slivers·MR} floats of A
     * (one stored row) instead of hopping lda floats per step within a sliver: the hardware
     * prefetcher follows a sequential read, and the per-sliver walk — a new 2 KB-strided cache line
     * every step, crossing a page every other step — left the weight-gradient products (Aᵀ·B, A
     * not in cache) waiting on memory. Returns the number of rows packed.
     */
    private static int packTransposedFullSlivers(float[] a, int src, int lda, int slivers, int kc, float[] dst,
                                                int dstOff) {
        VectorSpecies<Float> sp = GemmMicroKernel.S;
        int sliverSize = kc * MR;
        for (int p = 0; p < kc; p++, src += lda) {
            for (int s = 0, d = dstOff + p * MR; s < slivers; s++, d += sliverSize) {
                FloatVector.fromArray(sp, a, src + s * MR, FIRST_MR).intoArray(dst, d, FIRST_MR);
            }
        }
        return slivers * MR;
    }

    /**
     * Packs one full sliver of A: 12 rows, row r a run of kc floats at {@code src + r * lda}, into
     * dst[d + p * 12 + r]. Four k steps are 48 floats, three vectors, each one gather whose lane e
     * reads row (16q+e) % 12 at step (16q+e) / 12; a tail of kc % 4 steps is copied by scalars.
     */
    private static void gatherRows(float[] a, int src, int lda, int kc, float[] dst, int d) {
        int[] idx = ROW_INDEX.get();
        if (idx[48] != lda) {
            for (int g = 0; g < 48; g++) idx[g] = (g % 12) * lda + g / 12;
            idx[48] = lda;
        }
        VectorSpecies<Float> sp = GemmMicroKernel.S;
        int p = 0;
        int o = d;
        for (; p + 4 <= kc; p += 4, o += 48) {
            FloatVector.fromArray(sp, a, src + p, idx, 0).intoArray(dst, o);
            FloatVector.fromArray(sp, a, src + p, idx, 16).intoArray(dst, o + 16);
            FloatVector.fromArray(sp, a, src + p, idx, 32).intoArray(dst, o + 32);
        }
        for (; p < kc; p++) {
            for (int r = 0; r < 12; r++) dst[o++] = a[src + r * lda + p];
        }
    }

    /** Per thread: the gather offsets of a 12-row A sliver for four k steps, then the lda they were made for. */
    private static final ThreadLocal<int[]> ROW_INDEX = ThreadLocal.withInitial(() -> new int[49]);

    /** Per thread: the offsets of the NR columns of the Bᵀ sliver being packed (idx[jj] = jj·ldb). */
    private static final ThreadLocal<int[]> COLUMN_INDEX = ThreadLocal.withInitial(() -> new int[NR]);
}
