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
 * (means, norms) accumulate in double (in a few fixed partial sums), which differs from PyTorch's
 * float accumulation only in the last bits.
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
        this(namedParams, config, java.util.Set.of());
    }

    /** @param noWeightDecay parameters weight decay leaves alone (HF: a param group with weight_decay 0) */
    public Adafactor(Map<String, Tensor> namedParams, AdafactorConfig config, java.util.Set<String> noWeightDecay) {
        super(namedParams, noWeightDecay);
        this.config = config;
        this.lr = config.lr();
        int n = params().size();
        shapes = new int[n][];
        rowState = new float[n][];
        colState = new float[n][];
        fullState = new float[n][];
        firstMoment = new float[n][];
        int maxRows = 0, maxCols = 0, maxRowStates = 0, maxColStates = 0;
        for (int i = 0; i < n; i++) {
            Tensor p = params().get(i);
            int[] s = p.shape();
            shapes[i] = s;
            if (factored(s)) {
                int cols = s[s.length - 1], rows = s[s.length - 2];
                int batch = p.size() / Math.max(1, rows * cols);
                rowState[i] = new float[batch * rows];
                colState[i] = new float[batch * cols];
                maxRows = Math.max(maxRows, rows);
                maxCols = Math.max(maxCols, cols);
                maxRowStates = Math.max(maxRowStates, batch * rows);
                maxColStates = Math.max(maxColStates, batch * cols);
            } else {
                fullState[i] = new float[p.size()];
            }
            if (config.beta1() != null) firstMoment[i] = new float[p.size()];
        }
        int rows = maxRows, cols = maxCols, rowStates = maxRowStates, colStates = maxColStates;
        scratch = ThreadLocal.withInitial(() -> new Scratch(rows, cols, rowStates, colStates));
    }

    /**
     * Per thread that runs updates: row/column sums and factors sized for the largest factored
     * parameter, and an update buffer that grows only when a parameter needs one stored (an
     * unfactored parameter, or a first moment or weight decay) — the factored update without them
     * recomputes it instead (for PTT5-small that left out a 64 MB buffer per thread).
     */
    private static final class Scratch {
        final double[] colSums;
        final double[] rowSums;
        final float[] colFactors;
        final float[] rowFactors;
        /** One vector's lanes, for {@link AdafactorKernels}' fixed-order sums. */
        final float[] lanes = new float[AdafactorKernels.lanes()];
        /** Column sums of a block of rows, in float. */
        final float[] colBlock;
        private float[] update = new float[0];

        Scratch(int rows, int cols, int rowStates, int colStates) {
            colSums = new double[cols];
            colBlock = new float[cols];
            rowSums = new double[rows];
            colFactors = new float[colStates];
            rowFactors = new float[rowStates];
        }

        float[] update(int n) {
            if (update.length < n) update = new float[n];
            return update;
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
     * tensor by the step size, so the product is rounded to float32 — mirrored here; otherwise the
     * lr is a Python float (double) until an op rounds it. Returned as a double either way.
     */
    private double stepLrExact(long step, float paramRms) {
        double rel = lr == null ? Double.NaN : lr;
        if (config.relativeStep()) {
            double minStep = config.warmupInit() ? 1e-6 * step : 1e-2;
            rel = Math.min(minStep, 1.0 / Math.sqrt(step));
        }
        if (config.scaleParameter()) {
            if (paramRms > config.eps2()) return paramRms * (float) rel;
            return config.eps2() * rel;
        }
        return rel;
    }

    /** True when {@link #stepLrExact} is PyTorch's float32 tensor (the parameter's RMS won), not a Python float. */
    private boolean lrIsFloat32Tensor(float paramRms) {
        return config.scaleParameter() && paramRms > config.eps2();
    }

    /**
     * HF's {@code p.add_(p, alpha=-weight_decay * lr)}: with a Python-float lr the product is taken
     * in double and rounded once to float32 by the kernel; with a float32-tensor lr it is a float32
     * product of float32(-weight_decay) and the lr. (Both in float32, as before, was 1 ulp off
     * torch at the common lr 1e-3, weight decay 0.01.)
     */
    public static float decayFactor(double weightDecay, double stepLr, boolean lrIsFloat32Tensor) {
        return lrIsFloat32Tensor ? (float) -weightDecay * (float) stepLr : (float) (-weightDecay * stepLr);
    }

    /**
     * One parameter's step in three passes over memory (the update is memory-bound: ~60M floats
     * per PTT5-small step), after the parameter's RMS: the second-moment statistics straight from
     * the gradient (grad² + eps1 never stored), the preconditioned update's sum of squares, then
     * clip, scale and apply — the factored update recomputed from the gradient there rather than
     * stored and read back ({@link AdafactorKernels}). Each element sees the float32 operations
     * of HF's order; the sums (means, RMS values) are float vector partial sums over a row (or a
     * block of rows), totalled in double in a fixed order — not torch's order, so they differ in
     * the last bits. Measured on PTT5-small's parameters (a probe stepping all its tensors, 2
     * threads, the builds interleaved): 143-155 ms a step with the earlier seven passes, 109-121
     * ms with three scalar passes and a stored update, 37 ms so.
     */
    @Override
    protected void update(int index, long step, float[] param, float[] grad) {
        int n = param.length;
        Scratch sc = scratch.get();
        float paramRms = (float) Math.sqrt(AdafactorKernels.squares(param, n, sc.lanes)) / (float) Math.sqrt(n);
        double exactLr = stepLrExact(step, paramRms);
        float stepLr = (float) exactLr;
        double beta2t = 1.0 - Math.pow(step, config.decayRate());
        float keep = (float) beta2t, mix = (float) (1.0 - beta2t);
        float eps1 = (float) config.eps1();

        float[] m = firstMoment[index];
        boolean decays = config.weightDecay() != 0 && decays(index);
        boolean factored = rowState[index] != null;
        float[] u = factored && m == null && !decays ? null : sc.update(n);
        double squares;
        if (factored) {
            factoredStatistics(index, grad, keep, mix, eps1, sc);
            squares = factoredSquares(index, grad, sc, u);
        } else {
            squares = fullUpdate(fullState[index], grad, n, keep, mix, eps1, u);
        }
        // Clip the update to RMS ≤ clipThreshold, then scale by the step's lr.
        float updateRms = (float) Math.sqrt(squares) / (float) Math.sqrt(n);
        float clip = Math.max(updateRms / (float) config.clipThreshold(), 1.0f);
        if (u == null) {
            factoredApply(index, param, grad, sc, clip, stepLr);
            return;
        }
        if (m == null && !decays) {
            for (int j = 0; j < n; j++) param[j] -= (u[j] / clip) * stepLr;
            return;
        }
        float b1 = m == null ? 0f : config.beta1().floatValue(), b1mix = m == null ? 0f : (float) (1.0 - config.beta1());
        float decay = decayFactor(config.weightDecay(), exactLr, lrIsFloat32Tensor(paramRms));
        for (int j = 0; j < n; j++) {
            float delta = (u[j] / clip) * stepLr;
            if (m != null) delta = m[j] = Math.fma(b1mix, delta, m[j] * b1);
            if (decays) param[j] = Math.fma(decay, param[j], param[j]);
            param[j] -= delta;
        }
    }

    /** Unfactored second moment: v ← β·v + (1-β)·(g² + eps1), u = g/sqrt(v); returns Σu². */
    private static double fullUpdate(float[] v, float[] grad, int n, float keep, float mix, float eps1, float[] u) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += square(u[j] = preconditioned(v, grad, j, keep, mix, eps1));
            s1 += square(u[j + 1] = preconditioned(v, grad, j + 1, keep, mix, eps1));
            s2 += square(u[j + 2] = preconditioned(v, grad, j + 2, keep, mix, eps1));
            s3 += square(u[j + 3] = preconditioned(v, grad, j + 3, keep, mix, eps1));
        }
        for (; j < n; j++) s0 += square(u[j] = preconditioned(v, grad, j, keep, mix, eps1));
        return (s0 + s1) + (s2 + s3);
    }

    private static float preconditioned(float[] v, float[] grad, int j, float keep, float mix, float eps1) {
        float g = grad[j];
        v[j] = Math.fma(mix, g * g + eps1, v[j] * keep);
        return rsqrt(v[j]) * g;
    }

    private static double square(float x) {
        return (double) x * x;
    }

    /**
     * Row/column running averages of (grad² + eps1), then the factors of the update
     * rsqrt(row / mean(row)) · rsqrt(col) · grad (HF {@code _approx_sq_grad}) into the scratch,
     * per leading batch index.
     */
    private void factoredStatistics(int index, float[] grad, float keep, float mix, float eps1, Scratch sc) {
        int[] s = shapes[index];
        int cols = s[s.length - 1], rows = s[s.length - 2];
        float[] row = rowState[index], col = colState[index];
        double[] colSums = sc.colSums, rowSums = sc.rowSums;
        int batches = row.length / rows;
        for (int b = 0; b < batches; b++) {
            java.util.Arrays.fill(colSums, 0, cols, 0.0);
            AdafactorKernels.squareSums(grad, b * rows * cols, rows, cols, eps1, rowSums, colSums, sc.colBlock, sc.lanes);
            double rowStateSum = 0;
            for (int r = 0; r < rows; r++) {
                int ri = b * rows + r;
                row[ri] = Math.fma(mix, (float) rowSums[r] / cols, row[ri] * keep);
                rowStateSum += row[ri];
            }
            for (int c = 0; c < cols; c++) {
                int ci = b * cols + c;
                col[ci] = Math.fma(mix, (float) colSums[c] / rows, col[ci] * keep);
                sc.colFactors[ci] = rsqrt(col[ci]);
            }
            float rowMean = (float) rowStateSum / rows;
            for (int r = 0; r < rows; r++) sc.rowFactors[b * rows + r] = rsqrt(row[b * rows + r] / rowMean);
        }
    }

    /** Σu² over the factored update, and u itself into {@code u} when that is not null. */
    private double factoredSquares(int index, float[] grad, Scratch sc, float[] u) {
        int[] s = shapes[index];
        int cols = s[s.length - 1], rows = s[s.length - 2];
        int batches = rowState[index].length / rows;
        double squares = 0;
        for (int b = 0; b < batches; b++) {
            int base = b * rows * cols;
            squares += AdafactorKernels.updateSquares(grad, base, rows, cols, sc.rowFactors, b * rows, sc.colFactors,
                    b * cols, sc.lanes);
            if (u == null) continue;
            for (int r = 0; r < rows; r++) {
                float rowFactor = sc.rowFactors[b * rows + r];
                for (int c = 0, o = base + r * cols; c < cols; c++, o++) u[o] = rowFactor * sc.colFactors[b * cols + c] * grad[o];
            }
        }
        return squares;
    }

    /** param -= (u / clip)·stepLr, the factored update recomputed from the gradient. */
    private void factoredApply(int index, float[] param, float[] grad, Scratch sc, float clip, float stepLr) {
        int[] s = shapes[index];
        int cols = s[s.length - 1], rows = s[s.length - 2];
        int batches = rowState[index].length / rows;
        for (int b = 0; b < batches; b++) {
            AdafactorKernels.apply(param, grad, b * rows * cols, rows, cols, sc.rowFactors, b * rows, sc.colFactors,
                    b * cols, clip, stepLr);
        }
    }

    /** 1/sqrt(x) in float32: sqrt rounded to float, then the division rounded (as PyTorch's rsqrt). */
    private static float rsqrt(float x) { return 1.0f / (float) Math.sqrt(x); }


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
            device = new ClAdafactor(be, namedParams(), config, noWeightDecay()); // every parameter must live on that device
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
