package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lane sums of L vectors at once (L = lanes per vector), as a transpose-and-add tree: each
 * step pairs two vectors and halves the lanes each one's partial sums occupy (two butterfly
 * shuffles, two adds, a blend), so L sums cost about 5·(L-1) vector operations instead of
 * L separate {@link FixedOrderSum}s of 2·log2(L) + 1 each.
 *
 * <p>Every sum is grouped exactly as {@link FixedOrderSum#sum} groups it (lane i with lane i^h for
 * h = L/2 .. 1; float addition is commutative, so the bits are equal), which lets callers mix the
 * two: a tail column summed alone gives the same bits as it would inside a full tree.
 *
 * <p>Step h (h = L/2, L/4, .. 1) combines vectors P and Q whose sums occupy blocks of 2h lanes:
 * lane l (offset o = l mod 2h in its block) becomes P[l] + P[l+h] when o &lt; h, else Q[l] + Q[l-h]
 * (two butterfly shuffles, two adds and a blend).
 */
final class LaneTree {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** log2(L): the number of steps. */
    static final int STEPS = Integer.numberOfTrailingZeros(L);
    // Per half-width h: the butterfly shuffle (lane i to i^h, as FixedOrderSum uses) and the lanes
    // (offset ≥ h in blocks of 2h) whose sums come from the second vector of a pair. Constant
    // shuffles: C2 emits one permute each. (A two-vector selectFrom with an index vector did the
    // same in 3 operations instead of 5, but C2 sometimes left it to the Java fallback, 20x slower.)
    private static final VectorShuffle<Float> X16 = L > 16 ? xor(16) : null, X8 = L > 8 ? xor(8) : null,
            X4 = L > 4 ? xor(4) : null, X2 = xor(2), X1 = xor(1);
    private static final VectorMask<Float> Q16 = L > 16 ? upper(16) : null, Q8 = L > 8 ? upper(8) : null,
            Q4 = L > 4 ? upper(4) : null, Q2 = upper(2), Q1 = upper(1);
    /** Step 0's shuffle and mask (h = L/2), apart so the tiles that end with it inline no switch. */
    private static final VectorShuffle<Float> X_FIRST = xor(L / 2);
    private static final VectorMask<Float> Q_FIRST = upper(L / 2);
    /** Lane order of the final vector → column order (lane c of the result is the sum of input c). */
    private static final VectorShuffle<Float> TO_COLUMNS;

    static {
        if (Integer.bitCount(L) != 1 || L < 4 || L > 32) throw new IllegalStateException("vector of " + L + " float lanes");
        // Follow which input each lane holds through the pairings (inputs 2i, 2i+1 at every step).
        int[] owner = new int[L]; // owner[l] of the final vector
        int[][] lanes = new int[L][L];
        for (int v = 0; v < L; v++) java.util.Arrays.fill(lanes[v], v);
        int count = L;
        for (int s = 0; s < STEPS; s++) {
            int h = L >> (s + 1);
            int[][] next = new int[count / 2][L];
            for (int i = 0; i < count / 2; i++) {
                for (int l = 0; l < L; l++) next[i][l] = (l % (2 * h)) >= h ? lanes[2 * i + 1][l] : lanes[2 * i][l];
            }
            lanes = next;
            count /= 2;
        }
        System.arraycopy(lanes[0], 0, owner, 0, L);
        int[] where = new int[L];
        for (int l = 0; l < L; l++) where[owner[l]] = l;
        TO_COLUMNS = VectorShuffle.fromArray(S, where, 0);
    }

    private LaneTree() {}

    private static VectorShuffle<Float> xor(int h) {
        return VectorShuffle.fromOp(S, i -> i ^ h);
    }

    private static VectorMask<Float> upper(int h) {
        boolean[] q = new boolean[L];
        for (int l = 0; l < L; l++) q[l] = (l % (2 * h)) >= h;
        return VectorMask.fromArray(S, q, 0);
    }

    /** One step of the tree (step index s, h = L >> (s+1)) over the pair (p, q). */
    static FloatVector step(int s, FloatVector p, FloatVector q) {
        return switch (L >> (s + 1)) {
            case 1 -> pair(p, q, X1, Q1);
            case 2 -> pair(p, q, X2, Q2);
            case 4 -> pair(p, q, X4, Q4);
            case 8 -> pair(p, q, X8, Q8);
            default -> pair(p, q, X16, Q16);
        };
    }

    /** {@link #step} 0: pairs the raw accumulators of two columns. */
    static FloatVector first(FloatVector p, FloatVector q) {
        return pair(p, q, X_FIRST, Q_FIRST);
    }

    /** Lanes o &lt; h: p[l] + p[l^h]; lanes o ≥ h: q[l] + q[l^h]. */
    private static FloatVector pair(FloatVector p, FloatVector q, VectorShuffle<Float> x, VectorMask<Float> fromQ) {
        return p.add(p.rearrange(x)).blend(q.add(q.rearrange(x)), fromQ);
    }

    /**
     * Steps 1 .. STEPS-1 over L/2 vectors that have had step 0 (input pairs 2t, 2t+1 at
     * part[at + t·L]); leaves the L sums, in input order, at part[at .. at + L).
     *
     * <p>Why it stores instead of returning the vector, and why the steps are written out for 16
     * and 8 lanes: a caller that C2 compiled before this call site was hot does not inline a
     * method this size, and a vector passed to or returned from a call that is not inlined is
     * boxed — one object per vector operation. That happened to DecodeAttention's blocked scores
     * for the whole of greedy batch 8 and beam search (JFR allocation samples: 4.2 GB from the
     * returned vector and 2.4 GB from the steps of a looped {@link #step} in 20 s). Written out,
     * every vector stays inside this method ({@link #pair} is small enough to be inlined always).
     */
    static void finishPairs(float[] part, int at) {
        FloatVector sums;
        if (L == 16) {
            FloatVector a0 = pair(load(part, at), load(part, at + L), X4, Q4);
            FloatVector a1 = pair(load(part, at + 2 * L), load(part, at + 3 * L), X4, Q4);
            FloatVector a2 = pair(load(part, at + 4 * L), load(part, at + 5 * L), X4, Q4);
            FloatVector a3 = pair(load(part, at + 6 * L), load(part, at + 7 * L), X4, Q4);
            sums = pair(pair(a0, a1, X2, Q2), pair(a2, a3, X2, Q2), X1, Q1);
        } else if (L == 8) {
            FloatVector a0 = pair(load(part, at), load(part, at + L), X2, Q2);
            FloatVector a1 = pair(load(part, at + 2 * L), load(part, at + 3 * L), X2, Q2);
            sums = pair(a0, a1, X1, Q1);
        } else {
            int count = L / 2;
            for (int s = 1; s < STEPS; s++, count /= 2) {
                for (int t = 0; t < count / 2; t++) {
                    step(s, load(part, at + 2 * t * L), load(part, at + (2 * t + 1) * L)).intoArray(part, at + t * L);
                }
            }
            sums = load(part, at);
        }
        sums.rearrange(TO_COLUMNS).intoArray(part, at);
    }

    private static FloatVector load(float[] a, int at) {
        return FloatVector.fromArray(S, a, at);
    }

    /** The final vector of the tree, its lanes put in input order. */
    static FloatVector toColumns(FloatVector v) {
        return v.rearrange(TO_COLUMNS);
    }
}
