package dev.resumo.engine.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of {@link Adafactor}'s factored update, one pass over memory each: the
 * row/column statistics of grad² + eps1, the update's sum of squares, and clip-scale-apply with
 * the update recomputed from the gradient (it is never stored: a multiply per element is cheaper
 * than writing and re-reading a parameter-sized buffer).
 *
 * <p>Every element sees the float32 operations of HF's order (g·g + eps1; rowFactor·colFactor·g;
 * (u / clip)·lr subtracted). Sums are float vectors over short runs (one row, or
 * {@link #ROW_BLOCK} rows for the column sums; lane j holds the elements ≡ j mod lanes), whose
 * lanes are then added in lane order into double totals: a fixed order in every JIT tier
 * ({@code reduceLanes} leaves its order unspecified). Columns of a row that do not fill a vector
 * are summed one by one into the row's double total.
 *
 * <p>Only float vector arithmetic here: a first version with double accumulators converted each
 * float vector's halves to doubles ({@code convertShape(F2D, .., part)}); in a probe its code was
 * recompiled after ~10 000 steps into a form where the Vector API ran un-intrinsified (boxed
 * vectors, ~6 KB allocated a step).
 */
final class AdafactorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LF = F.length();
    /** Rows whose column sums are gathered in float before they go into the double column totals. */
    static final int ROW_BLOCK = 32;

    private AdafactorKernels() {}

    /**
     * For rows [0, rows) of a [rows, cols] block at grad[off]: rowSums[r] = Σ_c (g² + eps1) and
     * colSums[c] += Σ_r (g² + eps1) (double totals; {@code colBlock} is float scratch of cols).
     */
    static void squareSums(float[] grad, int off, int rows, int cols, float eps1, double[] rowSums, double[] colSums,
                           float[] colBlock, float[] lanes) {
        int vectorCols = cols - cols % LF;
        FloatVector eps = FloatVector.broadcast(F, eps1);
        for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
            int r1 = Math.min(rows, r0 + ROW_BLOCK);
            java.util.Arrays.fill(colBlock, 0, cols, 0f);
            for (int r = r0; r < r1; r++) {
                int o = off + r * cols;
                FloatVector s = FloatVector.zero(F);
                for (int c = 0; c < vectorCols; c += LF) {
                    FloatVector g = FloatVector.fromArray(F, grad, o + c);
                    FloatVector e = g.mul(g).add(eps);
                    s = s.add(e);
                    FloatVector.fromArray(F, colBlock, c).add(e).intoArray(colBlock, c);
                }
                s.intoArray(lanes, 0);
                double total = sumLanes(lanes);
                for (int c = vectorCols; c < cols; c++) {
                    float g = grad[o + c];
                    float e = g * g + eps1;
                    total += e;
                    colBlock[c] += e;
                }
                rowSums[r] = total;
            }
            for (int c = 0; c < cols; c++) colSums[c] += colBlock[c];
        }
    }

    /** Σ u² over the block, u = rowFactor[r]·colFactor[c]·g in float32. */
    static double updateSquares(float[] grad, int off, int rows, int cols, float[] rowFactors, int rowOff,
                                float[] colFactors, int colOff, float[] lanes) {
        int vectorCols = cols - cols % LF;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = off + r * cols;
            float rowFactor = rowFactors[rowOff + r];
            FloatVector rf = FloatVector.broadcast(F, rowFactor);
            FloatVector s = FloatVector.zero(F);
            for (int c = 0; c < vectorCols; c += LF) {
                FloatVector u = rf.mul(FloatVector.fromArray(F, colFactors, colOff + c))
                        .mul(FloatVector.fromArray(F, grad, o + c));
                s = u.fma(u, s);
            }
            s.intoArray(lanes, 0);
            double rowTotal = sumLanes(lanes);
            for (int c = vectorCols; c < cols; c++) {
                float u = rowFactor * colFactors[colOff + c] * grad[o + c];
                rowTotal += (double) u * u;
            }
            total += rowTotal;
        }
        return total;
    }

    /** param -= (u / clip)·stepLr with u recomputed as in {@link #updateSquares}. */
    static void apply(float[] param, float[] grad, int off, int rows, int cols, float[] rowFactors, int rowOff,
                      float[] colFactors, int colOff, float clip, float stepLr) {
        int vectorCols = cols - cols % LF;
        FloatVector clipV = FloatVector.broadcast(F, clip), lr = FloatVector.broadcast(F, stepLr);
        for (int r = 0; r < rows; r++) {
            int o = off + r * cols;
            float rowFactor = rowFactors[rowOff + r];
            FloatVector rf = FloatVector.broadcast(F, rowFactor);
            for (int c = 0; c < vectorCols; c += LF) {
                FloatVector u = rf.mul(FloatVector.fromArray(F, colFactors, colOff + c))
                        .mul(FloatVector.fromArray(F, grad, o + c));
                FloatVector p = FloatVector.fromArray(F, param, o + c);
                p.sub(u.div(clipV).mul(lr)).intoArray(param, o + c);
            }
            for (int c = vectorCols; c < cols; c++) {
                float u = rowFactor * colFactors[colOff + c] * grad[o + c];
                param[o + c] -= (u / clip) * stepLr;
            }
        }
    }

    /** Σ x² over x[0, n) ({@link GradNorms#squares}: float vector runs, totals in double). */
    static double squares(float[] x, int n, float[] lanes) {
        return GradNorms.squares(x, 0, n, lanes);
    }

    /**
     * The lanes a vector was stored to, added in lane order into a double: a fixed order in every
     * JIT tier. (The vector is stored by the caller: a vector handed to a method C2 does not
     * inline is boxed.)
     */
    private static double sumLanes(float[] lanes) {
        double s = 0;
        for (int i = 0; i < LF; i++) s += lanes[i];
        return s;
    }

    /** Floats per vector: the size of the {@code lanes} scratch. */
    static int lanes() {
        return LF;
    }
}
