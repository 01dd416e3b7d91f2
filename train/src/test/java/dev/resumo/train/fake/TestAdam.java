package dev.resumo.train.fake;

import dev.resumo.train.Parameter;
import dev.resumo.train.ParameterOptimizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain Adam for Trainer tests: it has per-parameter state and a step counter, so resume must restore both. */
public final class TestAdam implements ParameterOptimizer {
    private final Map<String, float[]> state = new LinkedHashMap<>();
    private long t;

    public TestAdam(List<Parameter> params) {
        for (Parameter p : params) {
            state.put(p.name() + ".m", new float[p.value().length]);
            state.put(p.name() + ".v", new float[p.value().length]);
        }
    }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        t++;
        double c1 = 1 - Math.pow(0.9, t), c2 = 1 - Math.pow(0.999, t);
        for (Parameter p : parameters) {
            float[] m = state.get(p.name() + ".m"), v = state.get(p.name() + ".v");
            float[] w = p.value(), g = p.grad();
            for (int i = 0; i < w.length; i++) {
                m[i] = 0.9f * m[i] + 0.1f * g[i];
                v[i] = 0.999f * v[i] + 0.001f * g[i] * g[i];
                w[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
            }
        }
    }

    @Override
    public Map<String, float[]> state() {
        return state;
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("t", t);
    }

    @Override
    public void restore(Map<String, float[]> saved, Map<String, Long> counters) {
        for (Map.Entry<String, float[]> e : state.entrySet()) {
            float[] from = saved.get(e.getKey());
            System.arraycopy(from, 0, e.getValue(), 0, from.length);
        }
        t = counters.get("t");
    }
}
