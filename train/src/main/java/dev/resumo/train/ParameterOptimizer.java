package dev.resumo.train;

import dev.resumo.engine.Tensor;
import java.util.List;
import java.util.Map;

/** An optimizer over the Trainer's parameters, with state that a checkpoint saves and restores bit for bit. */
public interface ParameterOptimizer {
    /** Applies one update from the accumulated gradients at learning rate lr. */
    void step(List<Parameter> parameters, double lr);

    /** Copies of every state buffer and counter by a stable name (e.g. "shared.weight.exp_avg"). */
    Map<String, Tensor> state();

    /** Restores what {@link #state()} returned for the same parameters and settings. */
    void restore(Map<String, Tensor> state);
}
