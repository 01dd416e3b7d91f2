package dev.resumo.engine.cpu;

import static dev.resumo.engine.cpu.GemmMicroKernel.MR;
import static dev.resumo.engine.cpu.GemmMicroKernel.NR;

import dev.resumo.engine.TuningProperty;

/**
 * One GEMM call, blocked for the caches and spread over {@link Workers}.
 *
 * <p>Blocking: columns in blocks of NC, depth in blocks of KC, rows in blocks of MC. A packed B
 * block (KC×NC, 1 MB) stays in L2, a packed A sliver (MR×KC, 12 KB) in L1; every MR×NR tile of C
 * is one {@link GemmMicroKernel#tile} call. Sizes were tried on this machine (L1 48 KB, L2 2 MB
 * per core): NC 512/768/1024/2048/4096, KC 128–512, MC 96–960; NC = 1024, KC = 256 were best
 * and MC mattered little — except for a long depth (K = 2048), where KC = 512 with NC = 512
 * (the same 1 MB B block, half as many passes over C) was about 12% faster, so K ≥ {@link #LONG_K}
 * uses it (K ≥ 512 since the training-step measurements there).
 *
 * <p>Two ways to go parallel, chosen per call:
 * <ul>
 * <li>row blocks — B is packed once into the caller's buffer (in parallel), then the workers take
 *     even chunks of A slivers (MR rows each), packing their A blocks; for tall C (activations);
 * <li>column chunks — every worker runs the whole blocked algorithm on its own range of columns
 *     with its own buffers, with no barrier in between; for wide C (the lm_head, N = vocabulary),
 *     and when there are too few rows to share (below {@link #COLUMN_SPLIT_BELOW_ROWS}).
 * </ul>
 * For tuning experiments the system properties resumo.gemm.kc / .mc / .nc override the block
 * sizes and resumo.gemm.split=rows|columns forces a way of splitting.
 *
 * <p>A plan is owned by its caller thread and reused (it is the body handed to the pool), so a call
 * allocates nothing.
 */
final class GemmPlan implements Workers.RangeBody {
    static final int KC = TuningProperty.intValue("resumo.gemm.kc", 256, 1, 1 << 16);
    /** KC and NC for a long depth (K ≥ {@link #LONG_K}). */
    static final int LONG_KC = TuningProperty.intValue("resumo.gemm.longKc", 512, 1, 1 << 16);
    /**
     * Depth from which LONG_KC/LONG_NC apply. Was 1024; at K = 512 the long blocking (one KC block:
     * C written once, no accumulate pass) measured +4-13% on the training step's products with
     * operands not in cache (2048×512×512 A·B 283 → 314, A·Bᵀ 263-270 → 288, 512×512×512 A·B
     * 255 → 265, 512×32128×512 A·Bᵀ 263 → 296 GFLOP/s, 2 threads).
     */
    static final int LONG_K = TuningProperty.intValue("resumo.gemm.longK", 512, 1, Integer.MAX_VALUE);
    static final int MC = roundUp(TuningProperty.intValue("resumo.gemm.mc", 192, 1, 1 << 16), MR);
    static final int NC = roundUp(TuningProperty.intValue("resumo.gemm.nc", 1024, 1, 1 << 16), NR);
    static final int LONG_NC = roundUp(TuningProperty.intValue("resumo.gemm.longNc", 512, 1, 1 << 16), NR);
    /** Below this many flops the pool's wake-up costs more than it saves. */
    private static final long PARALLEL_MIN_FLOPS = 4_000_000;
    /** Largest A panel packed once per KC step (1M floats, 4 MB per thread). */
    private static final int A_PANEL_FLOATS = 1 << 20;
    /** Column chunks narrower than this repack A too often for what they compute. */
    private static final int MIN_CHUNK_COLUMNS = 256;
    private static final String FORCE = System.getProperty("resumo.gemm.split", "");
    /**
     * Fewer rows than this split by columns even when C is not wide: for the decoder's and the
     * weight gradients' 512-row products, row blocks (a shared packed B and a barrier per KC step)
     * measured 159-224 GFLOP/s and column chunks 216-265 (+6 to +36%, operands not in cache, 2
     * threads); at 2048 rows row blocks stay ahead (by 2-13%). At 768 rows (PTT5-base's weight
     * gradients) row blocks were ahead too: 768×2048×768 Aᵀ·B 309 against 269 GFLOP/s (column
     * chunks balanced, 215 before), 768×2048×3072 Aᵀ·B 308 against 289, 768³ 314-319 against
     * 301-320; so 768 rows and up take row blocks (was 1024).
     */
    private static final int COLUMN_SPLIT_BELOW_ROWS = 768;

    private static final int PACK_B = 0;
    private static final int ROW_BLOCKS = 1;
    private static final int COLUMN_CHUNKS = 2;
    private static final int PACK_SHARED_A = 3;
    private static final int COLUMN_CHUNKS_SHARED_A = 4;
    /** Column chunks read one A panel the workers pack together (see {@link #columnChunksSharedA}). */
    private static final boolean COLUMN_SHARE_A = !Boolean.getBoolean("resumo.gemm.noColumnSharedA");
    /** Largest A panel (rows × KC) the row blocks pack once and share across column blocks (16 MB). */
    private static final int SHARED_A_FLOATS = 1 << 22;
    private static final boolean SHARE_A = !Boolean.getBoolean("resumo.gemm.noSharedA");

    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private int aOff;
    private int lda;
    private float[] b;
    private int bOff;
    private int ldb;
    private float[] c;
    private int cOff;
    private int ldc;
    private boolean accumulate;

    /** This call's block sizes: KC and NC, or LONG_KC and LONG_NC for a long depth. */
    private int kcBlock;
    private int ncBlock;

    // State of the parallel phases.
    private int phase;
    private int jc;
    private int nc;
    private int pc;
    private int kc;
    private float[] sharedB;
    private float[] sharedA;

    void run(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
             float[] c, int cOff, boolean accumulate) {
        run(transA, transB, m, n, k, a, aOff, transA ? m : k, b, bOff, transB ? k : n, c, cOff, n, accumulate);
    }

    /** {@link #run} with explicit row strides (lda, ldb as stored; ldc of C). */
    void run(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
             int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        if (!GemmTrace.ON) {
            runUntraced(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        long started = System.nanoTime();
        runUntraced(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        GemmTrace.record(transA, transB, m, n, k, lda != (transA ? m : k) || ldb != (transB ? k : n) || ldc != n,
                accumulate, System.nanoTime() - started);
    }

    private void runUntraced(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.a = a;
        this.aOff = aOff;
        this.lda = lda;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        this.accumulate = accumulate;
        // Depth blocks of equal size: K = 768 (PTT5-base's d_model) as 384 + 384 rather than
        // 512 + 256. The kernel carries each element's FMA chain from block to block (C is loaded
        // into the accumulators), so the blocking does not change any result.
        int kcMax = k >= LONG_K ? LONG_KC : KC;
        this.kcBlock = k <= 0 ? kcMax : ceilDiv(k, ceilDiv(k, kcMax));
        this.ncBlock = k >= LONG_K ? LONG_NC : NC;
        try {
            int t = Workers.threads();
            long flops = 2L * m * n * k;
            boolean parallel = t > 1 && flops >= PARALLEL_MIN_FLOPS && !WorkerPool.isWorkerThread();
            int slivers = ceilDiv(n, NR);
            boolean wide = n >= 4L * m || m < 4 * t * MR || m < COLUMN_SPLIT_BELOW_ROWS;
            if (FORCE.equals("rows")) wide = false;
            if (FORCE.equals("columns")) wide = true;
            if (!parallel) {
                blocked(0, m, 0, n, GemmScratch.mine());
            } else if (wide && shareAcrossColumns(t)) {
                columnChunksSharedA(slivers, t);
            } else if (wide) {
                phase = COLUMN_CHUNKS;
                Workers.parallelForChunks(slivers, columnChunks(slivers, t), this);
            } else {
                rowBlocks();
            }
        } finally {
            this.a = null; // do not keep the caller's arrays alive between calls
            this.b = null;
            this.c = null;
            this.sharedB = null;
            this.sharedA = null;
        }
    }

    @Override
    public void run(int start, int end) {
        switch (phase) {
            case PACK_B -> GemmPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, sharedB, start, end);
            case ROW_BLOCKS -> {
                // [start, end) counts A slivers (MR rows), so chunks differ by at most one sliver.
                // A comes from the shared panel when there is one, else each block is packed here.
                GemmScratch mine = GemmScratch.mine();
                int rowEnd = Math.min(m, end * MR);
                for (int ic = start * MR; ic < rowEnd; ic += MC) {
                    int mc = Math.min(MC, rowEnd - ic);
                    float[] ap = sharedA;
                    int ao = ic * kc;
                    if (ap == null) {
                        ap = mine.a(roundUp(mc, MR) * kc);
                        ao = 0;
                        GemmPacking.packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    }
                    macro(ap, ao, mc, sharedB, ic, jc, nc, kc, accumulate || pc > 0, mine.edge);
                }
            }
            case COLUMN_CHUNKS -> blocked(0, m, start * NR, Math.min(n, end * NR), GemmScratch.mine());
            case COLUMN_CHUNKS_SHARED_A -> columnsOnSharedA(start * NR, Math.min(n, end * NR), GemmScratch.mine());
            case PACK_SHARED_A -> {
                int ic = start * MR;
                GemmPacking.packA(transA, a, aOff, lda, ic, Math.min(m, end * MR) - ic, pc, kc, sharedA, ic * kc);
            }
            default -> throw new IllegalStateException("phase " + phase);
        }
    }

    /**
     * Column chunks: the same number per thread (up to four), each at least MIN_CHUNK_COLUMNS wide
     * where the columns allow. PTT5-base's 768 columns are 24 slivers: "at least 8 slivers a
     * chunk" made 3 chunks for 2 threads, one thread doing two, and 768×2048×768 Aᵀ·B (a weight
     * gradient) ran at 210-215 GFLOP/s against ~310 for the same product split by rows.
     */
    static int columnChunks(int slivers, int threads) {
        int minSlivers = Math.max(1, MIN_CHUNK_COLUMNS / NR);
        int perThread = Math.max(1, Math.min(4, slivers / (threads * minSlivers)));
        return threads * perThread;
    }

    /**
     * Column chunks with the A panel of each depth block packed once, by all workers together,
     * instead of whole by every worker: at 512 rows (the decoder's products and the weight
     * gradients Aᵀ·B, 512×512×2048) each of two threads packed all 512 × K of A for its half of
     * the columns. One barrier per depth block; each element's FMA chain still runs over the depth
     * blocks in order through C, so results are unchanged.
     */
    private void columnChunksSharedA(int slivers, int t) {
        int rowSlivers = ceilDiv(m, MR);
        int chunks = columnChunks(slivers, t);
        GemmScratch mine = GemmScratch.mine();
        for (pc = 0; pc < k; pc += kcBlock) {
            kc = Math.min(kcBlock, k - pc);
            packSharedA(rowSlivers, mine);
            phase = COLUMN_CHUNKS_SHARED_A;
            Workers.parallelForChunks(slivers, chunks, this);
        }
    }

    /**
     * Whether column chunks share one packed A panel: when every thread has at least two column
     * blocks and C is not many times wider than tall. Measured (2 threads, operands and C not in
     * cache, GFLOP/s unshared → shared): 512×2048 outputs gain — Aᵀ·B with K = 2048 251-254 →
     * 274-302, A·Bᵀ and Aᵀ·B with K = 512 254-296 → 274-323, A·B 243-268 → 268-294 — while 512×512
     * outputs lose (Aᵀ·B K = 2048 238-253 → 217-226, A·B K = 2048 261-298 → 242-258; K = 512 no
     * change): with one column block per thread, the barrier per depth block and reading the half of A
     * the other core packed cost more than packing it again. The lm_head's 512×32128 (A small beside
     * the B stream) measured within noise either way and stays unshared.
     */
    private boolean shareAcrossColumns(int t) {
        return COLUMN_SHARE_A && sharesAcrossColumns(m, n, kcBlock, ncBlock, t);
    }

    /** {@link #shareAcrossColumns} for a product of these sizes and block sizes (tests name the path). */
    static boolean sharesAcrossColumns(int m, int n, int kcBlock, int ncBlock, int threads) {
        return n >= 2L * ncBlock * threads && n <= 8L * m && sharedAFits(ceilDiv(m, MR), kcBlock);
    }

    /** Columns [j0, j1) of this depth block (pc, kc) from the shared A panel, B packed here. */
    private void columnsOnSharedA(int j0, int j1, GemmScratch mine) {
        boolean add = accumulate || pc > 0;
        for (int jcol = j0; jcol < j1; jcol += ncBlock) {
            int ncol = Math.min(ncBlock, j1 - jcol);
            int slivers = ceilDiv(ncol, NR);
            float[] bp = mine.b(slivers * NR * kc);
            GemmPacking.packB(transB, b, bOff, ldb, pc, kc, jcol, ncol, bp, 0, slivers);
            for (int ic = 0; ic < m; ic += MC) {
                macro(sharedA, ic * kc, Math.min(MC, m - ic), bp, ic, jcol, ncol, kc, add, mine.edge);
            }
        }
    }

    /** Whether a whole A panel of this many slivers at this depth stays within {@link #SHARED_A_FLOATS}. */
    private static boolean sharedAFits(int rowSlivers, int depth) {
        return (long) rowSlivers * MR * depth <= SHARED_A_FLOATS;
    }

    /** This depth block's (pc, kc) whole A panel, packed by all workers into the caller's shared buffer. */
    private void packSharedA(int rowSlivers, GemmScratch mine) {
        sharedA = mine.sharedA(rowSlivers * MR * kc);
        phase = PACK_SHARED_A;
        Workers.parallelFor(rowSlivers, 4, this);
    }

    /**
     * Row-block parallelism: the A slivers are split into {@link Workers#parallelFor}'s chunks
     * (four per thread, so a busy core can be balanced), each packed and multiplied in blocks of
     * MC rows. Chunks are counted in slivers rather than MC blocks because whole blocks split
     * unevenly (2048 rows are 11 blocks of 192 for 8 chunks: 1 or 2 blocks each), which left one
     * thread idle at the end of every KC step.
     */
    private void rowBlocks() {
        int rowSlivers = ceilDiv(m, MR);
        GemmScratch mine = GemmScratch.mine();
        if (SHARE_A && n > ncBlock && sharedAFits(rowSlivers, kcBlock)) {
            rowBlocksSharedA(rowSlivers, mine);
            return;
        }
        for (jc = 0; jc < n; jc += ncBlock) {
            nc = Math.min(ncBlock, n - jc);
            for (pc = 0; pc < k; pc += kcBlock) {
                kc = Math.min(kcBlock, k - pc);
                packBAndRunRowBlocks(rowSlivers, mine);
            }
        }
    }

    /** This (jc, pc) block: B packed into the shared buffer by all workers, then the row blocks. */
    private void packBAndRunRowBlocks(int rowSlivers, GemmScratch mine) {
        int slivers = ceilDiv(nc, NR);
        sharedB = mine.b(slivers * NR * kc);
        phase = PACK_B;
        Workers.parallelFor(slivers, 2, this);
        phase = ROW_BLOCKS;
        Workers.parallelFor(rowSlivers, 4, this);
    }

    /**
     * Row blocks when C has several column blocks (N > NC: the feed-forward input product and
     * its backward, 2048 × 2048 at batch 8 × 256): the workers pack each KC step's whole A panel
     * once into a shared buffer, then every column block reads it, where {@link #rowBlocks}
     * packs each worker's rows again for every column block (4 times at N = 2048). The same
     * packed values meet the same tile calls in the same order: results are unchanged.
     */
    private void rowBlocksSharedA(int rowSlivers, GemmScratch mine) {
        for (pc = 0; pc < k; pc += kcBlock) {
            kc = Math.min(kcBlock, k - pc);
            packSharedA(rowSlivers, mine);
            for (jc = 0; jc < n; jc += ncBlock) {
                nc = Math.min(ncBlock, n - jc);
                packBAndRunRowBlocks(rowSlivers, mine);
            }
        }
    }

    /**
     * The whole blocked algorithm on C[i0:i1, j0:j1], on this thread, with its own buffers. When
     * the rows' A panel (rows × KC) is at most {@link #A_PANEL_FLOATS} it is packed once per KC
     * step and reused for every column block, instead of once per column block: for the wide
     * lm_head product (512 × 32128) that removes most of the packing.
     */
    private void blocked(int i0, int i1, int j0, int j1, GemmScratch mine) {
        int rows = i1 - i0;
        for (int p = 0; p < k; p += kcBlock) {
            int depth = Math.min(kcBlock, k - p);
            boolean add = accumulate || p > 0;
            boolean wholePanel = (long) roundUp(rows, MR) * depth <= A_PANEL_FLOATS;
            float[] ap = null;
            if (wholePanel) {
                ap = mine.a(roundUp(rows, MR) * depth);
                GemmPacking.packA(transA, a, aOff, lda, i0, rows, p, depth, ap);
            }
            for (int jcol = j0; jcol < j1; jcol += ncBlock) {
                int ncol = Math.min(ncBlock, j1 - jcol);
                int slivers = ceilDiv(ncol, NR);
                float[] bp = mine.b(slivers * NR * depth);
                GemmPacking.packB(transB, b, bOff, ldb, p, depth, jcol, ncol, bp, 0, slivers);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    int ao = 0;
                    if (wholePanel) {
                        ao = (ic - i0) * depth; // MC is a multiple of MR, so slivers line up
                    } else {
                        ap = mine.a(roundUp(mc, MR) * depth);
                        GemmPacking.packA(transA, a, aOff, lda, ic, mc, p, depth, ap);
                    }
                    macro(ap, ao, mc, bp, ic, jcol, ncol, depth, add, mine.edge);
                }
            }
        }
    }

    /**
     * Every tile of C[ic:ic+mc, j:j+ncol] from packed A (mc×depth) and packed B (depth×ncol).
     * A slivers outside, B slivers inside: one A sliver (MR×KC, 12 KB) stays in L1 while the B
     * block streams from L2, and consecutive tiles walk along the same MR rows of C, which the
     * hardware prefetcher follows. (The other order, B slivers outside, jumps MR rows of C per
     * tile and measured 20–25% slower at 2048×512×2048 on one core. Measured again with a depth
     * block small enough for the B sliver to stay in L1 while the A slivers stream — KC 128, 192,
     * 256; B sliver 16-32 KB — in one JVM, the two orders alternating call by call, 20-30 pairs
     * per shape on 2 threads: B outside lost in 1-6 pairs of 20-30 at every training-step shape,
     * by 3-26% in median, e.g. 2048×512×512 A·B 143 → 137 GFLOP/s at KC 256, 160 → 143 at 192.)
     */
    private void macro(float[] ap, int aBase, int mc, float[] bp, int ic, int j, int ncol, int depth, boolean add,
                       float[] edge) {
        for (int i = 0; i < mc; i += MR) {
            int ao = aBase + i * depth;
            for (int s = 0, jj = 0; jj < ncol; s++, jj += NR) {
                tileAt(ap, ao, i, mc, bp, s, jj, ncol, ic, j, depth, add, edge);
            }
        }
    }

    /** One MR×NR tile; a tile cut by the edge of C goes through {@code edge} and is copied back. */
    private void tileAt(float[] ap, int ao, int i, int mc, float[] bp, int s, int jj, int ncol, int ic, int j,
                        int depth, boolean add, float[] edge) {
        int cols = Math.min(NR, ncol - jj);
        int bo = s * depth * NR;
        int rows = Math.min(MR, mc - i);
        int co = cOff + (ic + i) * ldc + j + jj;
        if (rows == MR && cols == NR) {
            GemmMicroKernel.tile(depth, ap, ao, bp, bo, c, co, ldc, add);
        } else {
            // C's part goes into the edge tile first, so an edge element's FMA chain carries on
            // from C exactly as a full tile's does (the lanes outside C hold leftovers; each lane
            // is its own chain, so they touch nothing and are dropped).
            if (add) {
                for (int r = 0; r < rows; r++) System.arraycopy(c, co + r * ldc, edge, r * NR, cols);
            }
            GemmMicroKernel.tile(depth, ap, ao, bp, bo, edge, 0, NR, add);
            for (int r = 0; r < rows; r++) System.arraycopy(edge, r * NR, c, co + r * ldc, cols);
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    static int roundUp(int x, int y) {
        return ceilDiv(x, y) * y;
    }
}
