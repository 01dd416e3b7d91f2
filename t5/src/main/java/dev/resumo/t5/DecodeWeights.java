package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.cpu.PanelWeight;
import dev.resumo.engine.cpu.ScreenedLogits;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Column-panel copies ({@link PanelWeight}) of the weights every host decoding step multiplies
 * by a few rows: the decoder's self-attention q/k/v/o, cross-attention q/o, feed-forward and the
 * lm_head. As stored, eight rows took 1.8x the time of one (dot products, lane sums, W re-read
 * from L1: 266 vs 146 µs per 2048×512 weight streamed from L3, 2 threads); from panels, where
 * each product is one FMA per vector, 1.45x (207 vs 143 µs). A PTT5-small decoding step (256
 * source tokens, 2 threads) went from 18.5 to 12.1 ms at batch 8 and from 6.7 to 5.7 ms at batch 1.
 *
 * <p>The copies cost a pass over those weights on a model's first host decode (52-85 ms for
 * PTT5-small once compiled, 130 ms the very first time, against about 1 ms saved per step at batch
 * 1 and 6 ms at batch 8) and as much memory again (150 MB for PTT5-small). They are made on the
 * first decode, not when a later one would pay better, so that every decode of a model gets the
 * same bits (plain and packed products sum in different orders). A weight whose
 * {@link Tensor#version()} moved (an optimizer step, a restore) or whose array was replaced is
 * packed again. {@code -Dresumo.decode.panels=false} turns them off. Safe for concurrent
 * generations: a decode takes a snapshot, a refresh publishes a new map.
 */
final class DecodeWeights {
    /**
     * More rows than this go through the general GEMM, whose packing of the weights pays off
     * there. Measured per 2048×512 weight streamed from L3 (2 threads), panels vs the general
     * GEMM: 16 rows 255 vs 336 µs, 32 rows 388 vs 555, 48 rows 513 vs 625, 64 rows 653 vs 785,
     * 128 rows 1191 vs 1160. (Batch 16 × beam 4 is 64 rows.)
     */
    static final int MAX_ROWS = 64;

    private static final boolean ENABLED = !"false".equals(System.getProperty("resumo.decode.panels"));
    private static final boolean SPARSE_ROWS = !"false".equals(System.getProperty("resumo.decode.sparseRows"));

    private record Packed(PanelWeight panels, long version, float[] source) {}

    private volatile Map<Tensor, Packed> current = Map.of();

    /**
     * The projection a decode of {@code rows} rows uses: panels for the given weights, brought up
     * to date; those in {@code sparseInputs} (a one-row decode's ReLU-fed projections) also get the
     * transposed copy through which a mostly-zero row reads only the weight rows it needs
     * ({@link PanelWeight#pack(float[], int, int, int, boolean)}: same bits, 24 MB more for
     * PTT5-small, made on the first one-row decode). {@code -Dresumo.decode.sparseRows=false}
     * leaves them out.
     */
    Projection forDecoding(List<Tensor> weights, List<Tensor> sparseInputs, int rows) {
        if (!ENABLED || rows > MAX_ROWS) return Projection.PLAIN;
        Map<Tensor, Packed> snapshot = refresh(weights, SPARSE_ROWS ? sparseInputs : List.of());
        return (x, weight) -> {
            Packed p = snapshot.get(weight);
            return p == null ? Ops.matmul(x, weight, false, true) : Ops.matmul(x, p.panels());
        };
    }

    /** Whether a decode of {@code rows} rows multiplies by panels (the lm_head's bits then are one FMA chain per logit). */
    static boolean panelsFor(int rows) {
        return ENABLED && rows <= MAX_ROWS;
    }

    /**
     * Greedy decoding's screened lm_head ({@link ScreenedLogits}: the next token from a low-precision
     * copy, checked against a rigorous error bound, the same token the float32 logits give) for a
     * decode of {@code rows} rows — an int8 copy for one row (16 MB for PTT5-small; the product is
     * bound by the stream), a bfloat16 copy for more (33 MB; the int8 product takes a pass per row)
     * — {@code -Dresumo.decode.screen=false} turns it off. Built on the first greedy decode that
     * asks, rebuilt when the weight changes like the panels; null when the weight holds values the
     * copy cannot bound.
     */
    ScreenedLogits screenFor(Tensor lmHead, int rows) {
        if (!SCREEN) return null;
        boolean oneRow = rows == 1;
        Screened s = oneRow ? screenedInt8 : screenedBf16;
        if (s != null && s.version() == lmHead.version() && s.source() == lmHead.data()) return s.screen();
        synchronized (this) {
            s = oneRow ? screenedInt8 : screenedBf16;
            if (s == null || s.version() != lmHead.version() || s.source() != lmHead.data()) {
                Tensor c = lmHead.contiguous();
                int n = lmHead.dim(0), k = lmHead.dim(1);
                ScreenedLogits screen = oneRow ? ScreenedLogits.packInt8(c.data(), c.offset(), n, k)
                        : ScreenedLogits.pack(c.data(), c.offset(), n, k);
                s = new Screened(screen, lmHead.version(), lmHead.data());
                if (oneRow) screenedInt8 = s;
                else screenedBf16 = s;
            }
            return s.screen();
        }
    }

    private static final boolean SCREEN = !"false".equals(System.getProperty("resumo.decode.screen"));

    private record Screened(ScreenedLogits screen, long version, float[] source) {}

    private volatile Screened screenedBf16;
    private volatile Screened screenedInt8;

    /** How many weights have a packed copy now (tests). */
    int packedCount() {
        return current.size();
    }

    private static boolean allUpToDate(Map<Tensor, Packed> packed, List<Tensor> weights, List<Tensor> sparseInputs) {
        for (Tensor w : weights) if (!upToDate(packed.get(w), w, contains(sparseInputs, w))) return false;
        return true;
    }

    private synchronized Map<Tensor, Packed> refresh(List<Tensor> weights, List<Tensor> sparseInputs) {
        Map<Tensor, Packed> old = current;
        if (allUpToDate(old, weights, sparseInputs)) return old;
        Map<Tensor, Packed> next = new IdentityHashMap<>();
        for (Tensor w : weights) {
            Packed p = old.get(w);
            boolean sparse = contains(sparseInputs, w) || (p != null && p.panels().hasSparseRows());
            if (!upToDate(p, w, sparse)) {
                Tensor c = w.contiguous();
                p = new Packed(PanelWeight.pack(c.data(), c.offset(), w.dim(0), w.dim(1), sparse), w.version(), w.data());
            }
            next.put(w, p);
        }
        current = next;
        return next;
    }

    /** Packed from this version of w, with the sparse-row copy when one is needed. */
    private static boolean upToDate(Packed p, Tensor w, boolean needsSparseRows) {
        return p != null && p.version() == w.version() && p.source() == w.data()
                && (!needsSparseRows || p.panels().hasSparseRows());
    }

    private static boolean contains(List<Tensor> tensors, Tensor t) {
        for (Tensor x : tensors) if (x == t) return true;
        return false;
    }

    /** How many packed weights carry the sparse-row copy (tests). */
    int sparseRowCount() {
        int count = 0;
        for (Packed p : current.values()) if (p.panels().hasSparseRows()) count++;
        return count;
    }
}
