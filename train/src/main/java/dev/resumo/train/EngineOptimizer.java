package dev.resumo.train;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.optim.Adafactor;
import dev.resumo.engine.optim.AdafactorConfig;
import dev.resumo.engine.optim.AdamW;
import dev.resumo.engine.optim.AdamWConfig;
import dev.resumo.engine.optim.Optimizer;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** --optimizer adafactor | adamw: the engine's optimizers over the Trainer's parameters. */
public final class EngineOptimizer implements ParameterOptimizer {
    private final Optimizer optimizer;
    private final Map<Tensor, Tensor> gradOf = new IdentityHashMap<>();

    private EngineOptimizer(Optimizer optimizer, List<Parameter> params) {
        this.optimizer = optimizer;
        for (Parameter p : params) gradOf.put(p.value(), p.grad());
    }

    /**
     * Adafactor with a fixed external lr (no relative step, no parameter scaling: the T5
     * fine-tuning recipe, as transformers' Trainer builds it for optim="adafactor"), or AdamW;
     * --weight-decay applies to every parameter but those {@link NoDecayParameters} names, as in
     * the Trainer's two parameter groups.
     */
    public static EngineOptimizer create(TrainConfig c, List<Parameter> params) {
        return create(c, params, NoDecayParameters.of(params));
    }

    /** The same with an explicit set of parameters weight decay leaves alone (empty: decay them all). */
    public static EngineOptimizer create(TrainConfig c, List<Parameter> params, Set<String> noWeightDecay) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (Parameter p : params) named.put(p.name(), p.value());
        Optimizer o = switch (c.optimizer()) {
            case "adafactor" -> new Adafactor(named, AdafactorConfig.fixedLr(c.lr()).withWeightDecay(c.weightDecay()), noWeightDecay);
            case "adamw" -> new AdamW(named, AdamWConfig.of(c.lr(), c.weightDecay()), noWeightDecay);
            default -> throw new ConfigException("--optimizer must be one of " + TrainConfig.OPTIMIZERS + ", got '" + c.optimizer() + "'");
        };
        return new EngineOptimizer(o, params);
    }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        optimizer.setLearningRate(lr);
        optimizer.step(gradOf::get);
    }

    @Override
    public Map<String, Tensor> state() {
        return optimizer.stateDict();
    }

    @Override
    public void restore(Map<String, Tensor> state) {
        optimizer.loadStateDict(state);
    }
}
