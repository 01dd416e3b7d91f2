package dev.resumo.engine.opencl;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.optim.Adafactor;
import dev.resumo.engine.optim.AdafactorConfig;
import java.util.List;
import java.util.Map;
import org.jocl.cl_kernel;

/**
 * {@link dev.resumo.engine.optim.Adafactor} with parameters, gradients and state resident on an
 * OpenCL device: the same float32 arithmetic in the same order (factored row/column second
 * moments, RMS update clipping, relative step and parameter scaling), as a handful of kernels per
 * parameter and no host copy. Reductions (RMS, row means) run as device tree sums in float32,
 * where the CPU optimizer accumulates in double: results agree to ~1e-7 relative.
 */
public final class ClAdafactor {
    private final OpenClBackend backend;
    private final OpenClRuntime rt;
    private final AdafactorConfig config;
    private final List<String> names;
    private final List<Tensor> params;
    private final long[] steps;
    /** Per parameter: false when it is excluded from weight decay. */
    private final boolean[] decays;
    private final ClBuffer[] rowState, colState, fullState, firstMoment, update;
    private final ClBuffer stats, rowSums, partialSums;
    /** Column sums of the factored statistics by chunks of rows (null when no matrix is that tall). */
    private final ClBuffer colPartials;
    /** Rows per chunk of the two-launch column sums; matrices with at most this many rows take one. */
    static final int COL_CHUNK = 64;
    /** Work-groups of the first stage of a large sum of squares (each sums ≥ 16 elements per item). */
    private static final int MAX_PARTIALS = 1024;

    public ClAdafactor(OpenClBackend backend, Map<String, Tensor> namedParams, AdafactorConfig config) {
        this(backend, namedParams, config, java.util.Set.of());
    }

    /** @param noWeightDecay parameters weight decay leaves alone */
    public ClAdafactor(OpenClBackend backend, Map<String, Tensor> namedParams, AdafactorConfig config,
                       java.util.Set<String> noWeightDecay) {
        this.backend = backend;
        this.rt = backend.runtime();
        this.config = config;
        this.names = List.copyOf(namedParams.keySet());
        this.params = List.copyOf(namedParams.values());
        int n = params.size();
        steps = new long[n];
        decays = new boolean[n];
        for (int i = 0; i < n; i++) decays[i] = !noWeightDecay.contains(names.get(i));
        rowState = new ClBuffer[n];
        colState = new ClBuffer[n];
        fullState = new ClBuffer[n];
        firstMoment = new ClBuffer[n];
        update = new ClBuffer[n];
        int maxBatches = 1;
        long maxColPartials = 0;
        for (int i = 0; i < n; i++) {
            Tensor p = params.get(i);
            ClDense.check("adafactor", names.get(i), p, backend);
            int[] s = p.shape();
            if (s.length >= 2) {
                int cols = s[s.length - 1], rows = s[s.length - 2];
                int batches = p.size() / Math.max(1, rows * cols);
                maxBatches = Math.max(maxBatches, batches);
                if (rows > COL_CHUNK) {
                    maxColPartials = Math.max(maxColPartials, (long) batches * ceilDiv(rows, COL_CHUNK) * cols);
                }
                rowState[i] = rt.allocate((long) batches * rows);
                colState[i] = rt.allocate((long) batches * cols);
            } else {
                fullState[i] = rt.allocate(p.size());
            }
            if (config.beta1() != null) firstMoment[i] = rt.allocate(p.size());
            update[i] = rt.allocate(p.size());
        }
        stats = rt.allocate(2);
        rowSums = rt.allocate(maxBatches);
        partialSums = rt.allocate(MAX_PARTIALS);
        colPartials = maxColPartials > 0 ? rt.allocate(maxColPartials) : null;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private cl_kernel k(String file, String name) {
        return rt.kernel(file, name, OpenClBackend.ROW_OPTIONS);
    }

    /** One update of every parameter that has a gradient (the configured lr). */
    public void step() {
        for (int i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            if (g == null) continue;
            update(i, ++steps[i], config.lr(), g);
        }
    }

    /**
     * Updates parameter i (in the map's order) with gradient g at a step counted from 1; lr null
     * means the relative step size (as {@link dev.resumo.engine.optim.Adafactor} passes it).
     */
    public void update(int i, long step, Double lr, Tensor g) {
        Tensor p = params.get(i);
        ClDense.check("adafactor gradient", names.get(i), g, backend);
        update(i, step, lr, (ClBuffer) p.deviceBuffer(), (ClBuffer) g.deviceBuffer(), p.shape(), p.size());
    }

    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    /** Copies parameter i's state to host arrays (null where the state does not exist). */
    public void copyStateTo(int i, float[] row, float[] col, float[] full, float[] firstMoment) {
        if (rowState[i] != null) {
            rowState[i].read(0, row, 0, row.length);
            colState[i].read(0, col, 0, col.length);
        }
        if (fullState[i] != null) fullState[i].read(0, full, 0, full.length);
        if (this.firstMoment[i] != null) this.firstMoment[i].read(0, firstMoment, 0, firstMoment.length);
    }

    /** Loads parameter i's state from host arrays (the inverse of {@link #copyStateTo}). */
    public void copyStateFrom(int i, float[] row, float[] col, float[] full, float[] firstMoment) {
        if (rowState[i] != null) {
            rowState[i].write(0, row, 0, row.length);
            colState[i].write(0, col, 0, col.length);
        }
        if (fullState[i] != null) fullState[i].write(0, full, 0, full.length);
        if (this.firstMoment[i] != null) this.firstMoment[i].write(0, firstMoment, 0, firstMoment.length);
    }

    /**
     * stats[slot] = sum of x^2 over n elements: one work-group up to 16 elements per item, else
     * one partial sum per work-group and a second launch adding them (the grouping depends on n
     * only, so the result is the same every step).
     */
    private void sumSquares(int n, ClBuffer x, int slot) {
        long wg = OpenClBackend.ROW_WG;
        long groups = Math.min(MAX_PARTIALS, (n + wg * 16 - 1) / (wg * 16));
        if (groups <= 1) {
            rt.launch(k("optim.cl", "sum_squares"), new long[] {wg}, new long[] {wg}, n, x, stats, slot, 1);
            return;
        }
        rt.launch(k("optim.cl", "sum_squares_partial"), new long[] {groups * wg}, new long[] {wg}, n, x, partialSums);
        rt.launch(k("optim.cl", "sum_squares"), new long[] {wg}, new long[] {wg}, (int) groups, partialSums, stats, slot, 0);
    }

    private void update(int i, long step, Double lr, ClBuffer p, ClBuffer g, int[] shape, int n) {
        long wg = OpenClBackend.ROW_WG;
        double rel = lr == null ? Double.NaN : lr;
        if (config.relativeStep()) {
            double minStep = config.warmupInit() ? 1e-6 * step : 1e-2;
            rel = Math.min(minStep, 1.0 / Math.sqrt(step));
        }
        double beta2t = 1.0 - Math.pow(step, config.decayRate());
        float keep = (float) beta2t, mix = (float) (1.0 - beta2t), eps1 = (float) config.eps1();
        sumSquares(n, p, 0);
        if (rowState[i] != null) {
            int cols = shape[shape.length - 1], rows = shape[shape.length - 2];
            int batches = n / Math.max(1, rows * cols);
            rt.launch(k("optim.cl", "adafactor_rows"), new long[] {rows * wg, batches}, new long[] {wg, 1},
                    rows, cols, g, eps1, keep, mix, rowState[i]);
            if (rows > COL_CHUNK) {
                int chunks = ceilDiv(rows, COL_CHUNK);
                rt.launch1d(k("optim.cl", "adafactor_col_partials"), (long) batches * chunks * cols, rows, cols, batches,
                        COL_CHUNK, g, eps1, colPartials);
                rt.launch1d(k("optim.cl", "adafactor_cols_finish"), (long) batches * cols, rows, cols, batches, chunks,
                        colPartials, keep, mix, colState[i]);
            } else {
                rt.launch1d(k("optim.cl", "adafactor_cols"), (long) batches * cols, rows, cols, batches, g, eps1, keep, mix,
                        colState[i]);
            }
            rt.launch(k("rows.cl", "sum_rows"), new long[] {batches * wg}, new long[] {wg}, rows, rowState[i], 0, rowSums, 0);
            rt.launch1d(k("optim.cl", "adafactor_factored_update"), n, rows, cols, batches, g, rowState[i], colState[i], rowSums, update[i]);
        } else {
            rt.launch1d(k("optim.cl", "adafactor_full_update"), n, n, g, eps1, keep, mix, fullState[i], update[i]);
        }
        sumSquares(n, update[i], 1);
        boolean beta1 = config.beta1() != null;
        // The lr when the parameter's RMS does not scale it: a Python float in HF, rounded once.
        double plainLr = config.scaleParameter() ? config.eps2() * rel : rel;
        double wd = decays[i] ? config.weightDecay() : 0.0;
        rt.launch1d(k("optim.cl", "adafactor_apply"), n, n, p, update[i], beta1 ? firstMoment[i] : update[i], stats,
                (float) rel, config.scaleParameter(), (float) config.eps2(), (float) config.clipThreshold(), beta1,
                beta1 ? config.beta1().floatValue() : 0f, (float) wd, (float) plainLr,
                Adafactor.decayFactor(wd, plainLr, false));
    }
}
