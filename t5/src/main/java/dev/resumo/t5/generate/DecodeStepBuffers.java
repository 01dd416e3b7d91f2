package dev.resumo.t5.generate;

import dev.resumo.engine.StepBuffers;
import java.util.function.Supplier;

/**
 * The pool a generate call's decoding steps share: each step runs in a scope of it, so the step's
 * arrays (projections, feed-forward, norms, residual sums, logits) go back to the pool when the
 * step's tokens are chosen and the next step takes the same arrays again.
 *
 * <p>Why: without it every step allocated its activations afresh — greedy batch 8 (PTT5-small, 64
 * new tokens) ~1.4 MB a step in the decoder's panel products alone — and that garbage, not the
 * weights, is what made the heap grow between collections (the resident set of a serving process
 * follows the heap's growth, not its live data).
 *
 * <p>The contract of {@link StepBuffers} holds because a step's tensors are read only until its
 * tokens are chosen: the caches keep copies of what they need (keys and values are written into
 * the cache's own arrays), the cross-attention keys and values are made before the first scope
 * opens, and the scores the search keeps are its own arrays. Not inside another scope (a training
 * step's pool owns the thread then): generation runs without one.
 */
final class DecodeStepBuffers {
    /** Where a generate call gets its pool; a supplier returning null turns the reuse off (tests swap in a poisoning pool). */
    static volatile Supplier<StepBuffers> pools = StepBuffers::new;

    private DecodeStepBuffers() {}

    /** The pool for one generate call's steps, or null when a scope is open already or reuse is off. */
    static StepBuffers forCall() {
        if (!StepBuffers.enabled() || StepBuffers.scopeOpen()) return null;
        return pools.get();
    }

    /** A scope of {@code pool} for one step, or null (try-with-resources skips it) without a pool. */
    static StepBuffers.Scope step(StepBuffers pool) {
        return pool == null ? null : pool.open();
    }
}
