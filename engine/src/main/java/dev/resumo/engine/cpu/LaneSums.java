package dev.resumo.engine.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * Lane sums in a fixed order, the same in every JIT tier.
 *
 * <p>Why: {@code reduceLanes(ADD)} may add lanes in any order, and the C2 intrinsic's order differs
 * from the Java fallback that runs before a kernel is compiled; likewise {@code lanewise(EXP/TANH)}
 * (vector math stubs) differ from the fallback's per-lane Math calls. The same input then gave
 * different bits early and late in a run, so two identical training runs — or a resumed run and an
 * uninterrupted one — drifted apart after a few steps. Kernels therefore sum lanes here and use
 * scalar Math.exp / Math.tanh (HotSpot uses one implementation of those in every tier).
 */
final class LaneSums {
    private LaneSums() {}

    static float sum(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }
}
