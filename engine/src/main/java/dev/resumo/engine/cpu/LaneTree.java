package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lane sums of L vectors at once (L = lanes per vector), as a transpose-and-add tree: each
 * step pairs two vectors and halves the lanes each one's partial sums occupy (a blend, a
 * two-vector permute and an add), so L sums cost about 3·(L-1) vector operations instead of
 * L separate {@link FixedOrderSum}s of 2·log2(L) each.
 *
 * <p>Every sum is grouped exactly as {@link FixedOrderSum#sum} groups it (lane i with lane i^h for
 * h = L/2 .. 1; float addition is commutative, so the bits are equal), which lets callers mix the
 * two: a tail column summed alone gives the same bits as it would inside a full tree.
 *
 * <p>Step h (h = L/2, L/4, .. 1) combines vectors P and Q whose sums occupy blocks of 2h lanes:
 * lane l (offset o = l mod 2h in its block) becomes P[l] + P[l+h] when o &lt; h, else Q[l] + Q[l-h].
 */
final class LaneTree {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** log2(L): the number of steps. */
    static final int STEPS = Integer.numberOfTrailingZeros(L);
    /** Per step: lanes taken from Q (o ≥ h), and the two-vector permute indices of the partner lane. */
    private static final VectorMask<Float>[] FROM_Q;
    private static final FloatVector[] PARTNER;
    /** Lane order of the final vector → column order (lane c of the result is the sum of input c). */
    private static final VectorShuffle<Float> TO_COLUMNS;

    static {
        if (Integer.bitCount(L) != 1 || L < 4) throw new IllegalStateException("vector of " + L + " float lanes");
        @SuppressWarnings("unchecked")
        VectorMask<Float>[] fromQ = new VectorMask[STEPS];
        FloatVector[] partner = new FloatVector[STEPS];
        for (int s = 0; s < STEPS; s++) {
            int h = L >> (s + 1);
            boolean[] q = new boolean[L];
            float[] idx = new float[L];
            for (int l = 0; l < L; l++) {
                boolean upper = (l % (2 * h)) >= h;
                q[l] = upper;
                idx[l] = upper ? L + l - h : l + h;
            }
            fromQ[s] = VectorMask.fromArray(S, q, 0);
            partner[s] = FloatVector.fromArray(S, idx, 0);
        }
        FROM_Q = fromQ;
        PARTNER = partner;
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

    /** One step of the tree (step index s, h = L >> (s+1)) over the pair (p, q). */
    static FloatVector step(int s, FloatVector p, FloatVector q) {
        return p.blend(q, FROM_Q[s]).add(PARTNER[s].selectFrom(p, q));
    }

    /**
     * Steps 1 .. STEPS-1 over L/2 vectors that have had step 0 (input pairs 2t, 2t+1 at
     * part[at + t·L]), in place; returns the L sums in input order.
     */
    static FloatVector finishPairs(float[] part, int at) {
        int count = L / 2;
        for (int s = 1; s < STEPS; s++, count /= 2) {
            for (int t = 0; t < count / 2; t++) {
                step(s, FloatVector.fromArray(S, part, at + 2 * t * L), FloatVector.fromArray(S, part, at + (2 * t + 1) * L))
                        .intoArray(part, at + t * L);
            }
        }
        return toColumns(FloatVector.fromArray(S, part, at));
    }

    /** The final vector of the tree, its lanes put in input order. */
    static FloatVector toColumns(FloatVector v) {
        return v.rearrange(TO_COLUMNS);
    }
}
