package dev.resumo.engine.opencl;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.optim.AdamWConfig;
import java.util.List;
import java.util.Map;

/**
 * {@link dev.resumo.engine.optim.AdamW} on an OpenCL device: one elementwise kernel per
 * parameter with the CPU optimizer's float32 operation order; moments stay on the device.
 */
public final class ClAdamW {
    private final OpenClBackend backend;
    private final OpenClRuntime rt;
    private final AdamWConfig config;
    private final List<String> names;
    private final List<Tensor> params;
    private final long[] steps;
    /** Per parameter: false when it is excluded from weight decay. */
    private final boolean[] decays;
    private final ClBuffer[] expAvg, expAvgSq;
    private double lr;

    public ClAdamW(OpenClBackend backend, Map<String, Tensor> namedParams, AdamWConfig config) {
        this(backend, namedParams, config, java.util.Set.of());
    }

    /** @param noWeightDecay parameters weight decay leaves alone */
    public ClAdamW(OpenClBackend backend, Map<String, Tensor> namedParams, AdamWConfig config,
                   java.util.Set<String> noWeightDecay) {
        this.backend = backend;
        this.rt = backend.runtime();
        this.config = config;
        this.lr = config.lr();
        this.names = List.copyOf(namedParams.keySet());
        this.params = List.copyOf(namedParams.values());
        steps = new long[params.size()];
        decays = new boolean[params.size()];
        for (int i = 0; i < params.size(); i++) decays[i] = !noWeightDecay.contains(names.get(i));
        expAvg = new ClBuffer[params.size()];
        expAvgSq = new ClBuffer[params.size()];
        for (int i = 0; i < params.size(); i++) {
            ClDense.check("adamw", names.get(i), params.get(i), backend);
            expAvg[i] = rt.allocate(params.get(i).size());
            expAvgSq[i] = rt.allocate(params.get(i).size());
        }
    }

    public void setLearningRate(double newLr) {
        if (!(newLr >= 0)) throw new IllegalArgumentException("adamw: lr must be >= 0, got " + newLr);
        lr = newLr;
    }

    public void step() {
        for (int i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            if (g != null) update(i, ++steps[i], lr, g);
        }
    }

    /** Updates parameter i (in the map's order) with gradient g at a step counted from 1. */
    public void update(int i, long step, double lr, Tensor g) {
        Tensor p = params.get(i);
        ClDense.check("adamw gradient", names.get(i), g, backend);
        float decay = decays[i] ? (float) (1.0 - lr * config.weightDecay()) : 1f;
        float w1 = (float) (1.0 - config.beta1());
        boolean smallWeight = Math.abs(w1) < 0.5f; // torch's lerp_ form (AdamW.update)
        float b2 = (float) config.beta2(), w2 = (float) (1.0 - config.beta2());
        double bc1 = 1.0 - Math.pow(config.beta1(), step), bc2 = 1.0 - Math.pow(config.beta2(), step);
        float negStepSize = (float) -(lr / bc1), bc2Sqrt = (float) Math.sqrt(bc2), eps = (float) config.eps();
        rt.launch1d(rt.kernel("optim.cl", "adamw", OpenClBackend.ROW_OPTIONS), p.size(), p.size(), p.deviceBuffer(),
                g.deviceBuffer(), expAvg[i], expAvgSq[i], decay, smallWeight ? w1 : w1 - 1f, smallWeight ? 1 : 0, b2, w2,
                negStepSize, bc2Sqrt, eps);
    }

    public void copyStateTo(int i, float[] m, float[] v) {
        expAvg[i].read(0, m, 0, m.length);
        expAvgSq[i].read(0, v, 0, v.length);
    }

    public void copyStateFrom(int i, float[] m, float[] v) {
        expAvg[i].write(0, m, 0, m.length);
        expAvgSq[i].write(0, v, 0, v.length);
    }

    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }
}
