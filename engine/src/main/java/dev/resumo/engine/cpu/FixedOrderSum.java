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
    private static final int L = S.length();
    // One constant shuffle per butterfly step (constants let C2 emit a single permute each).
    private static final VectorShuffle<Float> X8 = L > 8 ? VectorShuffle.fromOp(S, i -> i ^ 8) : null;
    private static final VectorShuffle<Float> X4 = L > 4 ? VectorShuffle.fromOp(S, i -> i ^ 4) : null;
    private static final VectorShuffle<Float> X2 = L > 2 ? VectorShuffle.fromOp(S, i -> i ^ 2) : null;
    private static final VectorShuffle<Float> X1 = L > 1 ? VectorShuffle.fromOp(S, i -> i ^ 1) : null;

    private FixedOrderSum() {}

    static float sum(FloatVector v) {
        if (L > 16) return LaneSums.sum(v); // wider than AVX-512: not expected; stay exact
        if (L > 8) v = v.add(v.rearrange(X8));
        if (L > 4) v = v.add(v.rearrange(X4));
        if (L > 2) v = v.add(v.rearrange(X2));
        if (L > 1) v = v.add(v.rearrange(X1));
        return v.lane(0);
    }
}
