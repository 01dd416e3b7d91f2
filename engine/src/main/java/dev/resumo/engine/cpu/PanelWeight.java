package dev.resumo.engine.cpu;

import java.util.Objects;

/**
 * A weight W [N×K] (a Linear applied as x·Wᵀ) copied once into the column panels
 * {@link GemmPanels} streams, for products with a few rows: every decoding step multiplies the
 * same weights by one row per sequence. The copy costs one pass over W and as much memory again;
 * it pays when the weight serves many steps. The copy does not follow later changes of W.
 */
public final class PanelWeight {
    private final float[] panels;
    private final int n;
    private final int k;
    /** For one-row products of mostly-zero inputs (see {@link SparseRowWeight}); null when not asked for. */
    private final SparseRowWeight sparseRows;

    private PanelWeight(float[] panels, int n, int k, SparseRowWeight sparseRows) {
        this.panels = panels;
        this.n = n;
        this.k = k;
        this.sparseRows = sparseRows;
    }

    /** Packs the row-major W [n×k] found at w[offset..]. */
    public static PanelWeight pack(float[] w, int offset, int n, int k) {
        return pack(w, offset, n, k, false);
    }

    /**
     * As {@link #pack(float[], int, int, int)}; with {@code sparseRows} also a transposed copy
     * (as much memory again) through which a one-row product whose input is mostly zeros reads
     * only the weight rows it needs — same bits as the panels.
     */
    public static PanelWeight pack(float[] w, int offset, int n, int k, boolean sparseRows) {
        if (n <= 0 || k <= 0) throw new IllegalArgumentException("panel weight sizes must be > 0, got n=" + n + " k=" + k);
        Objects.checkFromIndexSize(offset, Math.multiplyExact(n, k), w.length);
        float[] panels = new float[GemmPanels.packedLength(n, k)];
        GemmPanels.pack(w, offset, n, k, panels);
        return new PanelWeight(panels, n, k, sparseRows ? SparseRowWeight.pack(w, offset, n, k) : null);
    }

    /** Whether one-row products may go through a transposed copy (see {@link #pack(float[], int, int, int, boolean)}). */
    public boolean hasSparseRows() {
        return sparseRows != null;
    }

    /** N: output features (rows of W). */
    public int outFeatures() {
        return n;
    }

    /** K: input features (columns of W). */
    public int inFeatures() {
        return k;
    }

    /** C[m×N] (+)= A[m×K] · Wᵀ, row-major, any m (built for a few: decoding rows). */
    public void multiply(int m, float[] a, int aOff, float[] c, int cOff, boolean accumulate) {
        if (m < 0) throw new IllegalArgumentException("rows must be >= 0, got " + m);
        Objects.checkFromIndexSize(aOff, Math.multiplyExact(m, k), a.length);
        Objects.checkFromIndexSize(cOff, Math.multiplyExact(m, n), c.length);
        if (m == 0) return;
        if (m == 1 && sparseRows != null && sparseRows.multiplyRow(a, aOff, c, cOff, accumulate)) return;
        GemmPanels.multiply(m, n, k, a, aOff, panels, c, cOff, accumulate);
    }
}
