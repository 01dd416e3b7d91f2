package dev.resumo.train.fake;

import dev.resumo.engine.Tensor;
import dev.resumo.train.Parameter;
import dev.resumo.train.ParameterOptimizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain Adam for Trainer tests: per-parameter state and a step counter, so resume must restore both. */
public final class TestAdam implements ParameterOptimizer {
    private final Map<String, float[]> buffers = new LinkedHashMap<>();
    private long t;

    public TestAdam(List<Parameter> params) {
        for (Parameter p : params) {
            buffers.put(p.name() + ".m", new float[p.values().length]);
            buffers.put(p.name() + ".v", new float[p.values().length]);
        }
    }

    @Override
    public void step(List<Parameter> parameters, double lr) {
        t++;
        double c1 = 1 - Math.pow(0.9, t), c2 = 1 - Math.pow(0.999, t);
        for (Parameter p : parameters) {
            float[] m = buffers.get(p.name() + ".m"), v = buffers.get(p.name() + ".v");
            float[] w = p.values(), g = p.grads();
            for (int i = 0; i < w.length; i++) {
                m[i] = 0.9f * m[i] + 0.1f * g[i];
                v[i] = 0.999f * v[i] + 0.001f * g[i] * g[i];
                w[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
            }
        }
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        buffers.forEach((k, v) -> out.put(k, Tensor.of(v.clone(), v.length)));
        out.put("t", Tensor.of(new float[] {t}, 1));
        return out;
    }

    @Override
    public void restore(Map<String, Tensor> saved) {
        buffers.forEach((k, v) -> System.arraycopy(saved.get(k).toArray(), 0, v, 0, v.length));
        t = (long) saved.get("t").item();
    }
}
