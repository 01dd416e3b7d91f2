package dev.resumo.engine.optim;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.cpu.Workers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An optimizer that updates named parameter tensors in place from their gradients.
 *
 * <p>Parameters must be contiguous with offset 0: the update reads and writes {@code data()}
 * directly. All per-parameter state is allocated once, in the constructor; {@link #step()} allocates
 * nothing. Like PyTorch, each parameter keeps its own step counter, which only advances when that
 * parameter has a gradient.
 *
 * <p>State for exact resume: {@link #stateDict()} returns copies of every state buffer plus the step
 * counters as tensors; {@link #loadStateDict(Map)} restores them bit for bit.
 *
 * <p>Weight decay, where an optimizer has it, applies to every parameter except those named in
 * {@code noWeightDecay} (PyTorch's second parameter group with weight_decay 0). Which names those
 * are is the caller's choice — the engine knows no model.
 */
public abstract class Optimizer {
    /** Step counters are stored as float32 scalars; integers above 2^24 would lose precision. */
    private static final long MAX_EXACT_STEP = 1L << 24;

    private final List<String> names;
    private final List<Tensor> params;
    private final long[] steps;
    /** Per parameter: false when it is excluded from weight decay. */
    private final boolean[] decays;
    /** Parameter indices, largest first: the order host updates are handed out. */
    private final int[] bySizeDescending;
    /** This step's host gradients by parameter index (null: no update). */
    private final float[][] pendingGrads;
    private final java.util.concurrent.atomic.AtomicInteger nextUpdate = new java.util.concurrent.atomic.AtomicInteger();
    private final Workers.RangeBody hostUpdates = (start, end) -> runHostUpdates();

    protected Optimizer(Map<String, Tensor> namedParams) {
        this(namedParams, Set.of());
    }

    /** @param noWeightDecay names of parameters that weight decay leaves alone (each must be a parameter) */
    protected Optimizer(Map<String, Tensor> namedParams, Set<String> noWeightDecay) {
        if (namedParams.isEmpty()) throw new IllegalArgumentException("optimizer: no parameters to optimize");
        for (String n : noWeightDecay) {
            if (!namedParams.containsKey(n)) {
                throw new IllegalArgumentException("optimizer: no parameter named '" + n + "' to exclude from weight decay");
            }
        }
        this.names = List.copyOf(namedParams.keySet());
        this.decays = new boolean[names.size()];
        for (int i = 0; i < names.size(); i++) decays[i] = !noWeightDecay.contains(names.get(i));
        this.params = List.copyOf(namedParams.values());
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (!p.isContiguous() || p.offset() != 0) {
                throw new IllegalArgumentException("optimizer: parameter '" + names.get(i) + "' must be contiguous with offset 0");
            }
        }
        this.steps = new long[params.size()];
        this.pendingGrads = new float[params.size()][];
        this.bySizeDescending = java.util.stream.IntStream.range(0, params.size()).boxed()
                .sorted((x, y) -> Integer.compare(params.get(y).size(), params.get(x).size()))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Names parameters of a plain list by their position ("0", "1", ...), for callers without names. */
    public static Map<String, Tensor> named(List<Tensor> params) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) m.put(Integer.toString(i), params.get(i));
        return m;
    }

    /** One update of every parameter that has a gradient ({@code param.grad()}). */
    public final void step() { step(Tensor::grad); }

    /**
     * One update, with the gradient of each parameter given by {@code gradOf} (null = no gradient,
     * the parameter is skipped and its step counter does not advance).
     */
    public final void step(Function<Tensor, Tensor> gradOf) {
        boolean any = false;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Tensor g = gradOf.apply(p);
            pendingGrads[i] = null;
            if (g == null) continue;
            if (g.size() != p.size() || !g.isContiguous() || g.offset() != 0) {
                java.util.Arrays.fill(pendingGrads, null);
                throw new IllegalArgumentException("optimizer: gradient of '" + names.get(i) + "' has shape "
                        + Arrays.toString(g.shape()) + ", parameter has " + Arrays.toString(p.shape()));
            }
            steps[i]++;
            p.markModified();
            if (p.isOnDevice()) {
                updateOnDevice(i, steps[i], p, g);
            } else {
                pendingGrads[i] = g.data();
                any = true;
            }
        }
        if (!any) return;
        nextUpdate.set(0);
        try {
            Workers.parallelFor(Workers.threads(), 1, hostUpdates);
        } finally {
            Arrays.fill(pendingGrads, null); // do not keep gradients alive between steps
        }
    }

    /**
     * Host updates run on the worker pool, one whole parameter per task, largest first (each thread
     * takes the next largest left, so the 16M-float embedding does not end up last). A parameter's
     * update is the same arithmetic whichever thread runs it, so results do not depend on the
     * thread count; {@link #update} implementations keep their scratch per thread. Fields, not
     * locals, so a step allocates nothing.
     */
    private void runHostUpdates() {
        for (int j; (j = nextUpdate.getAndIncrement()) < bySizeDescending.length; ) {
            int i = bySizeDescending[j];
            float[] g = pendingGrads[i];
            if (g != null) update(i, steps[i], params.get(i).data(), g);
        }
    }

    /** Forgets every parameter's gradient (call after {@link #step()}, before the next backward). */
    public final void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    /**
     * Updates a device-resident parameter in place with its (device) gradient; the optimizers that
     * support devices keep their state there and copy it to {@link #stateBuffers} only in
     * {@link #syncStateToHost()}.
     */
    protected void updateOnDevice(int index, long step, Tensor param, Tensor grad) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " cannot update parameter '" + names.get(index)
                + "' on " + param.backend().name());
    }

    /** Copies device-held state into the host state buffers (before {@link #stateDict()}). */
    protected void syncStateToHost() {}

    /** Copies the host state buffers to the device (after {@link #loadStateDict}). */
    protected void syncStateToDevice() {}

    /**
     * Updates parameter {@code index} in place; {@code step} counts from 1. Must not allocate. Called
     * concurrently for different parameters (from the worker pool): keep scratch per thread.
     */
    protected abstract void update(int index, long step, float[] param, float[] grad);

    /** The learning rate used by the next step (schedules call {@link #setLearningRate}). */
    public abstract double learningRate();

    public abstract void setLearningRate(double lr);

    /** Whether weight decay applies to parameter {@code index} (false: named in noWeightDecay). */
    public final boolean decays(int index) { return decays[index]; }

    /** Names of the parameters excluded from weight decay, in parameter order. */
    public final Set<String> noWeightDecay() {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) if (!decays[i]) out.add(names.get(i));
        return Collections.unmodifiableSet(out);
    }

    /** Step counter of parameter {@code index} (0 before its first update). */
    public long step(int index) { return steps[index]; }

    public List<String> parameterNames() { return names; }

    protected List<Tensor> params() { return params; }

    /** The parameters by name, in their order (for a device optimizer created on first use). */
    protected Map<String, Tensor> namedParams() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) m.put(names.get(i), params.get(i));
        return m;
    }

    /** The state buffers of parameter {@code index}, by state name (live arrays, not copies). */
    protected abstract Map<String, float[]> stateBuffers(int index);

    protected abstract int[] stateShape(int index, String stateName);

    /** Copies of all state: {@code <param>.<state>} buffers and {@code <param>.step} scalars. */
    public final Map<String, Tensor> stateDict() {
        syncStateToHost();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            if (steps[i] > MAX_EXACT_STEP) {
                throw new IllegalStateException("optimizer: step " + steps[i] + " of '" + names.get(i) + "' cannot be stored exactly as float32");
            }
            out.put(names.get(i) + ".step", Tensor.of(new float[] {steps[i]}, 1));
            for (Map.Entry<String, float[]> e : stateBuffers(i).entrySet()) {
                out.put(names.get(i) + "." + e.getKey(), Tensor.of(e.getValue().clone(), stateShape(i, e.getKey())));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Restores state saved by {@link #stateDict()} from an optimizer over the same parameters and settings. */
    public final void loadStateDict(Map<String, Tensor> state) {
        List<String> missing = new ArrayList<>();
        int expected = 0;
        for (int i = 0; i < params.size(); i++) {
            expected++;
            if (!state.containsKey(names.get(i) + ".step")) missing.add(names.get(i) + ".step");
            for (Map.Entry<String, float[]> e : stateBuffers(i).entrySet()) {
                expected++;
                String key = names.get(i) + "." + e.getKey();
                Tensor t = state.get(key);
                if (t == null) missing.add(key);
                else if (t.size() != e.getValue().length) {
                    throw new IllegalArgumentException("optimizer state '" + key + "' has " + t.size()
                            + " values, expected " + e.getValue().length);
                }
            }
        }
        if (!missing.isEmpty()) throw new IllegalArgumentException("optimizer state is missing " + missing);
        if (state.size() != expected) {
            List<String> extra = new ArrayList<>(state.keySet());
            extra.removeIf(k -> names.contains(k.substring(0, Math.max(0, k.lastIndexOf('.')))));
            throw new IllegalArgumentException("optimizer state has unexpected entries " + extra
                    + " (saved with different settings or parameters?)");
        }
        for (int i = 0; i < params.size(); i++) {
            steps[i] = (long) state.get(names.get(i) + ".step").item();
            for (Map.Entry<String, float[]> e : stateBuffers(i).entrySet()) {
                Tensor t = state.get(names.get(i) + "." + e.getKey());
                System.arraycopy(t.data(), t.offset(), e.getValue(), 0, e.getValue().length);
            }
        }
        syncStateToDevice();
    }
}
