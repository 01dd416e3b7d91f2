package dev.resumo.engine.optim;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.opencl.ClAdafactor;
import dev.resumo.engine.opencl.OpenClBackend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adafactor (Shazeer and Stern, 2018) exactly as {@code transformers.optimization.Adafactor}:
 * factored second moments (row and column running averages over the last two dims) for tensors of
 * rank ≥ 2, a full second moment for vectors, RMS-based update clipping, optional first moment,
 * relative step size and parameter scaling.
 *
 * <p>All arithmetic is float32 in the order PyTorch performs it (scalars such as beta2_t are
 * computed in double and rounded once, as PyTorch does when it casts Python scalars); reductions
 * (means, norms) accumulate in double, which differs from PyTorch's float accumulation only in the
 * last bits.
 */
public final class Adafactor extends Optimizer {
    private final AdafactorConfig config;
    private final int[][] shapes;
    /** Factored: [rows, cols] state; else null. */
    private final float[][] rowState, colState;
    /** Unfactored second moment (null when factored). */
    private final float[][] fullState;
    /** First moment (null without beta1). */
    private final float[][] firstMoment;
    /** Per-thread scratch (parameters update in parallel): the update, column sums, column factors. */
    private final ThreadLocal<Scratch> scratch;
    private Double lr;
    private ClAdafactor device;

    public Adafactor(Map<String, Tensor> namedParams, AdafactorConfig config) {
        super(namedParams);
        this.config = config;
        this.lr = config.lr();
        int n = params().size();
        shapes = new int[n][];
        rowState = new float[n][];
        colState = new float[n][];
        fullState = new float[n][];
        firstMoment = new float[n][];
        int maxSize = 0, maxCols = 0;
        for (int i = 0; i < n; i++) {
            Tensor p = params().get(i);
            int[] s = p.shape();
            shapes[i] = s;
            maxSize = Math.max(maxSize, p.size());
            if (factored(s)) {
                int cols = s[s.length - 1], rows = s[s.length - 2];
                int batch = p.size() / Math.max(1, rows * cols);
                rowState[i] = new float[batch * rows];
                colState[i] = new float[batch * cols];
                maxCols = Math.max(maxCols, cols);
            } else {
                fullState[i] = new float[p.size()];
            }
            if (config.beta1() != null) firstMoment[i] = new float[p.size()];
        }
        int size = maxSize, width = maxCols;
        scratch = ThreadLocal.withInitial(() -> new Scratch(size, width));
    }

    /** Sized for the largest parameter, allocated once per thread that runs updates. */
    private static final class Scratch {
        final float[] update;
        final double[] colSums;
        final float[] colFactors;

        Scratch(int size, int cols) {
            update = new float[size];
            colSums = new double[cols];
            colFactors = new float[cols];
        }
    }

    private static boolean factored(int[] shape) { return shape.length >= 2; }

    public AdafactorConfig config() { return config; }

    /** The external lr, or NaN under relative step (the step size then comes from the step count). */
    @Override
    public double learningRate() { return lr == null ? Double.NaN : lr; }

    @Override
    public void setLearningRate(double newLr) {
        if (config.relativeStep()) {
            throw new IllegalStateException("adafactor: relative step computes its own lr; a schedule needs relativeStep=false");
        }
        if (!(newLr >= 0)) throw new IllegalArgumentException("adafactor: lr must be >= 0, got " + newLr);
        lr = newLr;
    }

    /**
     * HF {@code _get_lr}: relative step min(1e-2 (or 1e-6·t with warmup init), 1/sqrt(t)), times
     * max(eps2, RMS(param)) with parameter scaling. When the RMS wins, PyTorch multiplies a float32
     * tensor by the step size, so the product is rounded to float32 — mirrored here.
     */
    private float stepLr(long step, float paramRms) {
        double rel = lr == null ? Double.NaN : lr;
        if (config.relativeStep()) {
            double minStep = config.warmupInit() ? 1e-6 * step : 1e-2;
            rel = Math.min(minStep, 1.0 / Math.sqrt(step));
        }
        if (config.scaleParameter()) {
            if (paramRms > config.eps2()) return paramRms * (float) rel;
            return (float) (config.eps2() * rel);
        }
        return (float) rel;
    }

    @Override
    protected void update(int index, long step, float[] param, float[] grad) {
        int n = param.length;
        float paramRms = rms(param, n);
        float stepLr = stepLr(step, paramRms);
        double beta2t = 1.0 - Math.pow(step, config.decayRate());
        float keep = (float) beta2t, mix = (float) (1.0 - beta2t);
        float eps1 = (float) config.eps1();

        Scratch sc = scratch.get();
        float[] u = sc.update;
        for (int j = 0; j < n; j++) u[j] = grad[j] * grad[j] + eps1;

        if (rowState[index] != null) {
            factoredUpdate(index, grad, keep, mix, sc);
        } else {
            float[] v = fullState[index];
            for (int j = 0; j < n; j++) {
                v[j] = Math.fma(mix, u[j], v[j] * keep);
                u[j] = rsqrt(v[j]) * grad[j];
            }
        }

        // Clip the update to RMS ≤ clipThreshold, then scale by the step's lr.
        float clip = Math.max(rms(u, n) / (float) config.clipThreshold(), 1.0f);
        for (int j = 0; j < n; j++) u[j] = (u[j] / clip) * stepLr;

        float[] delta = u;
        if (firstMoment[index] != null) {
            float[] m = firstMoment[index];
            float b1 = config.beta1().floatValue(), b1mix = (float) (1.0 - config.beta1());
            for (int j = 0; j < n; j++) m[j] = Math.fma(b1mix, u[j], m[j] * b1);
            delta = m;
        }
        if (config.weightDecay() != 0) {
            float decay = -(float) config.weightDecay() * stepLr;
            for (int j = 0; j < n; j++) param[j] = Math.fma(decay, param[j], param[j]);
        }
        for (int j = 0; j < n; j++) param[j] -= delta[j];
    }

    /**
     * Row/column running averages of (grad² + eps1), then the update
     * rsqrt(row / mean(row)) · rsqrt(col) · grad (HF {@code _approx_sq_grad}), per leading batch index.
     */
    private void factoredUpdate(int index, float[] grad, float keep, float mix, Scratch sc) {
        int[] s = shapes[index];
        int cols = s[s.length - 1], rows = s[s.length - 2];
        float[] row = rowState[index], col = colState[index], u = sc.update;
        double[] colSums = sc.colSums;
        float[] colFactors = sc.colFactors;
        int batches = row.length / rows;
        for (int b = 0; b < batches; b++) {
            int base = b * rows * cols;
            java.util.Arrays.fill(colSums, 0, cols, 0.0);
            for (int r = 0; r < rows; r++) {
                double rowSum = 0;
                int off = base + r * cols;
                for (int c = 0; c < cols; c++) {
                    rowSum += u[off + c];
                    colSums[c] += u[off + c];
                }
                int ri = b * rows + r;
                row[ri] = Math.fma(mix, (float) rowSum / cols, row[ri] * keep);
            }
            double rowStateSum = 0;
            for (int c = 0; c < cols; c++) {
                int ci = b * cols + c;
                col[ci] = Math.fma(mix, (float) colSums[c] / rows, col[ci] * keep);
                colFactors[c] = rsqrt(col[ci]);
            }
            for (int r = 0; r < rows; r++) rowStateSum += row[b * rows + r];
            float rowMean = (float) rowStateSum / rows;
            for (int r = 0; r < rows; r++) {
                float rowFactor = rsqrt(row[b * rows + r] / rowMean);
                int off = base + r * cols;
                for (int c = 0; c < cols; c++) u[off + c] = rowFactor * colFactors[c] * grad[off + c];
            }
        }
    }

    /** 1/sqrt(x) in float32: sqrt rounded to float, then the division rounded (as PyTorch's rsqrt). */
    private static float rsqrt(float x) { return 1.0f / (float) Math.sqrt(x); }

    /** ‖x‖₂ / sqrt(n) over the first n values; float32 result, double accumulation. */
    static float rms(float[] x, int n) {
        double ss = 0;
        for (int j = 0; j < n; j++) ss += (double) x[j] * x[j];
        return (float) Math.sqrt(ss) / (float) Math.sqrt(n);
    }

    /** Device-resident parameters: the same update as {@link #update} as OpenCL kernels, state on the device. */
    @Override
    protected void updateOnDevice(int index, long step, Tensor param, Tensor grad) {
        deviceOptimizer(param).update(index, step, lr, grad);
    }

    private ClAdafactor deviceOptimizer(Tensor param) {
        if (device == null) {
            if (!(param.backend() instanceof OpenClBackend be)) {
                throw new IllegalArgumentException("adafactor: no device update for parameters on " + param.backend().name());
            }
            device = new ClAdafactor(be, namedParams(), config); // every parameter must live on that device
        }
        return device;
    }

    @Override
    protected void syncStateToHost() {
        if (device == null) return;
        for (int i = 0; i < params().size(); i++) device.copyStateTo(i, rowState[i], colState[i], fullState[i], firstMoment[i]);
    }

    @Override
    protected void syncStateToDevice() {
        if (!params().get(0).isOnDevice()) return;
        ClAdafactor d = deviceOptimizer(params().get(0));
        for (int i = 0; i < params().size(); i++) d.copyStateFrom(i, rowState[i], colState[i], fullState[i], firstMoment[i]);
    }

    @Override
    protected Map<String, float[]> stateBuffers(int index) {
        Map<String, float[]> m = new LinkedHashMap<>();
        if (rowState[index] != null) {
            m.put("exp_avg_sq_row", rowState[index]);
            m.put("exp_avg_sq_col", colState[index]);
        } else {
            m.put("exp_avg_sq", fullState[index]);
        }
        if (firstMoment[index] != null) m.put("exp_avg", firstMoment[index]);
        return m;
    }

    @Override
    protected int[] stateShape(int index, String stateName) {
        int[] s = shapes[index];
        return switch (stateName) {
            case "exp_avg_sq_row" -> java.util.Arrays.copyOf(s, s.length - 1);
            case "exp_avg_sq_col" -> {
                int[] c = java.util.Arrays.copyOf(s, s.length - 1);
                c[c.length - 1] = s[s.length - 1];
                yield c;
            }
            default -> s.clone();
        };
    }
}
