package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A lane sum as a butterfly of vector adds (lane i + lane i^h for h = L/2 .. 1): each add pairs
 * fixed lanes, so the bits are the same in every JIT tier (like {@link LaneSums}), at the cost of
 * log2(L) shuffles and adds instead of L scalar lane reads — for kernels that reduce once per
 * output element (the few-row GEMM, decode attention).
 */
final class FixedOrderSum {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorShuffle<Float>[] BUTTERFLY = butterfly();

    private FixedOrderSum() {}

    static float sum(FloatVector v) {
        for (VectorShuffle<Float> s : BUTTERFLY) v = v.add(v.rearrange(s));
        return v.lane(0);
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] butterfly() {
        int steps = Integer.numberOfTrailingZeros(S.length());
        VectorShuffle<Float>[] shuffles = new VectorShuffle[steps];
        for (int i = 0; i < steps; i++) {
            int h = S.length() >> (i + 1);
            shuffles[i] = VectorShuffle.fromOp(S, lane -> lane ^ h);
        }
        return shuffles;
    }
}
