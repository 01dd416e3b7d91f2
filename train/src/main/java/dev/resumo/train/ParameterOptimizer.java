package dev.resumo.train;

import java.util.List;
import java.util.Map;

/** An optimizer over the Trainer's parameters, with state that a checkpoint can save and restore exactly. */
public interface ParameterOptimizer {
    /** Applies one update from the accumulated gradients at learning rate lr. */
    void step(List<Parameter> parameters, double lr);

    /** Every state array by a stable name (e.g. "shared.weight.exp_avg"); copies are not needed. */
    Map<String, float[]> state();

    /** Scalars of the state (step counts ...), saved as JSON numbers. */
    Map<String, Long> counters();

    /** Restores what {@link #state()} and {@link #counters()} returned (same parameters, same order). */
    void restore(Map<String, float[]> state, Map<String, Long> counters);
}
