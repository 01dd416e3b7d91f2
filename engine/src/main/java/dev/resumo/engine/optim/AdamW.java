package dev.resumo.engine.optim;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.opencl.ClAdamW;
import dev.resumo.engine.opencl.OpenClBackend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) exactly as {@code torch.optim.AdamW} (single-tensor path):
 * <pre>
 *   p      *= 1 - lr·wd                          (decoupled decay, before the update; wd = 0 for
 *                                                  the parameters named in noWeightDecay)
 *   m       = lerp(m, g, 1 - β1)                  (one fma, as torch's CPU lerp_)
 *   v       = v·β2 + (1 - β2)·g·g                 (fma(value·g, g, v·β2), as addcmul_)
 *   denom   = sqrt(v) / sqrt(1 - β2^t) + eps      (eps outside the bias-corrected sqrt)
 *   p      += (-(lr / (1 - β1^t)) · m) / denom    (addcdiv_'s order)
 * </pre>
 * float32 arithmetic; the scalar factors are computed in double and rounded once, like PyTorch.
 */
public final class AdamW extends Optimizer {
    private final AdamWConfig config;
    private final int[][] shapes;
    private final float[][] expAvg, expAvgSq;
    private double lr;
    private ClAdamW device;

    public AdamW(Map<String, Tensor> namedParams, AdamWConfig config) {
        this(namedParams, config, java.util.Set.of());
    }

    /** @param noWeightDecay parameters weight decay leaves alone (torch: a param group with weight_decay 0) */
    public AdamW(Map<String, Tensor> namedParams, AdamWConfig config, java.util.Set<String> noWeightDecay) {
        super(namedParams, noWeightDecay);
        this.config = config;
        this.lr = config.lr();
        int n = params().size();
        shapes = new int[n][];
        expAvg = new float[n][];
        expAvgSq = new float[n][];
        for (int i = 0; i < n; i++) {
            shapes[i] = params().get(i).shape();
            expAvg[i] = new float[params().get(i).size()];
            expAvgSq[i] = new float[params().get(i).size()];
        }
    }

    public AdamWConfig config() { return config; }

    @Override
    public double learningRate() { return lr; }

    @Override
    public void setLearningRate(double newLr) {
        if (!(newLr >= 0)) throw new IllegalArgumentException("adamw: lr must be >= 0, got " + newLr);
        lr = newLr;
    }

    @Override
    protected void update(int index, long step, float[] param, float[] grad) {
        float[] m = expAvg[index], v = expAvgSq[index];
        // torch multiplies by 1 - lr·0 = 1 in a weight_decay-0 group: exactly the value unchanged.
        float decay = decays(index) ? (float) (1.0 - lr * config.weightDecay()) : 1f;
        float w1 = (float) (1.0 - config.beta1());
        float b2 = (float) config.beta2(), w2 = (float) (1.0 - config.beta2());
        double biasCorrection1 = 1.0 - Math.pow(config.beta1(), step);
        double biasCorrection2 = 1.0 - Math.pow(config.beta2(), step);
        float negStepSize = (float) -(lr / biasCorrection1);
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float eps = (float) config.eps();
        // torch's CPU kernels, matched element for element (weights-tools/fuzz_optimizers.py found
        // the plain forms 20-4000 ulp off where the terms cancel): lerp_ is one fma, its form
        // picked by the weight (|w| < 0.5: m + w·(g - m), else g + (w - 1)·(g - m)); addcmul_ is
        // fma(value·g, g, v); addcdiv_ is p + (value·m) / denom.
        boolean smallWeight = Math.abs(w1) < 0.5f;
        float w1Coeff = smallWeight ? w1 : w1 - 1f;
        for (int j = 0; j < param.length; j++) {
            float g = grad[j];
            float p = param[j] * decay;
            float diff = g - m[j];
            m[j] = Math.fma(w1Coeff, diff, smallWeight ? m[j] : g);
            v[j] = Math.fma(w2 * g, g, v[j] * b2);
            float denom = (float) Math.sqrt(v[j]) / bc2Sqrt + eps;
            param[j] = p + (negStepSize * m[j]) / denom;
        }
    }

    /** Device-resident parameters: the same update as one OpenCL kernel, moments on the device. */
    @Override
    protected void updateOnDevice(int index, long step, Tensor param, Tensor grad) {
        deviceOptimizer(param).update(index, step, lr, grad);
    }

    private ClAdamW deviceOptimizer(Tensor param) {
        if (device == null) {
            if (!(param.backend() instanceof OpenClBackend be)) {
                throw new IllegalArgumentException("adamw: no device update for parameters on " + param.backend().name());
            }
            device = new ClAdamW(be, namedParams(), config, noWeightDecay());
        }
        return device;
    }

    @Override
    protected void syncStateToHost() {
        if (device == null) return;
        for (int i = 0; i < params().size(); i++) device.copyStateTo(i, expAvg[i], expAvgSq[i]);
    }

    @Override
    protected void syncStateToDevice() {
        if (!params().get(0).isOnDevice()) return;
        ClAdamW d = deviceOptimizer(params().get(0));
        for (int i = 0; i < params().size(); i++) d.copyStateFrom(i, expAvg[i], expAvgSq[i]);
    }

    @Override
    protected Map<String, float[]> stateBuffers(int index) {
        Map<String, float[]> s = new LinkedHashMap<>();
        s.put("exp_avg", expAvg[index]);
        s.put("exp_avg_sq", expAvgSq[index]);
        return s;
    }

    @Override
    protected int[] stateShape(int index, String stateName) { return shapes[index].clone(); }
}
