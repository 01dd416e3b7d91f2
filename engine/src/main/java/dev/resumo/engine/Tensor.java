package dev.resumo.engine;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.DeviceBuffer;
import dev.resumo.engine.cpu.ElementwiseKernels;
import java.util.Arrays;
import java.util.Random;

/**
 * A float32 n-d array: row-major shape and strides over a float[] starting at an offset, plus
 * its autograd state. Views (reshape of contiguous data, transpose, {@link #detach()}) share
 * the array; every op accepts non-contiguous views.
 *
 * <p>Autograd: a leaf created by the user needs a gradient after {@link #requiresGrad(boolean)};
 * an op result needs one when it recorded a {@link Node}. Leaf gradients persist and accumulate
 * across {@link #backward()} calls (contiguous, offset 0, owned by this tensor, so an optimizer
 * may change them in place); intermediate gradients are freed once used.
 */
public final class Tensor {
    final float[] data;
    /** Non-null for a tensor resident on a device (then data is null); see {@link #to(Backend)}. */
    final Backend backend;
    final DeviceBuffer buffer;
    final int[] shape;
    final int[] strides;
    final int offset;
    private final int size;

    private boolean requiresGrad;
    /** Gradient of the last backward(s); for an intermediate tensor only during backward. */
    Tensor grad;
    /**
     * The gradient's buffer may be added into in place: always for a leaf (its gradient is a copy
     * it owns, or one handed over by {@link #setGrad}), and for an intermediate tensor when its
     * gradient was allocated for it alone (handed over fresh, or a sum made for it) — not when it
     * aliases a gradient another tensor also received (the add op passes one to both inputs).
     */
    private boolean gradOwned;
    /** How this tensor was computed; null for leaves and for results recorded under noGrad. */
    Node node;
    /** Counts in-place changes of the values announced by {@link #markModified()}. */
    private long version;

    Tensor(float[] data, int[] shape, int[] strides, int offset) {
        this.data = data;
        this.backend = null;
        this.buffer = null;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.size = Shapes.size(shape);
    }

    /** A device-resident tensor over buffer (values stay on the device until asked for). */
    Tensor(Backend backend, DeviceBuffer buffer, int[] shape, int[] strides, int offset) {
        this.data = null;
        this.backend = backend;
        this.buffer = buffer;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.size = Shapes.size(shape);
    }

    /** A fresh contiguous device tensor over buffer (owned by the tensor). */
    static Tensor fresh(Backend backend, DeviceBuffer buffer, int[] shape) {
        return new Tensor(backend, buffer, shape, Shapes.contiguousStrides(shape), 0);
    }

    /** A view with the same storage (host array or device buffer). */
    Tensor view(int[] shape, int[] strides, int offset) {
        return data != null || backend == null ? new Tensor(data, shape, strides, offset)
                : new Tensor(backend, buffer, shape, strides, offset);
    }

    // ---- devices ----

    /** True when the values live on a device backend (not in a Java array). */
    public boolean isOnDevice() {
        return backend != null;
    }

    /** The device backend holding the values, or null for a host tensor. */
    public Backend backend() {
        return backend;
    }

    /** The device buffer (element i of a contiguous tensor is at offset()+i), or null on the host. */
    public DeviceBuffer deviceBuffer() {
        return buffer;
    }

    /**
     * A contiguous copy on the given backend (uploaded once; ops on it stay on that device), or
     * this tensor when it already lives there. The copy is a new leaf: set requiresGrad on it.
     */
    public Tensor to(Backend target) {
        if (target == backend) return this;
        if (target == null) return fresh(toArray(), shape.clone());
        return fresh(target, target.upload(toArray()), shape.clone());
    }

    /** A host copy (contiguous) of a device tensor, or this tensor when it is on the host. */
    public Tensor toHost() {
        return backend == null ? this : fresh(toArray(), shape.clone());
    }

    /** A fresh contiguous tensor over data (the array is owned by the tensor). */
    static Tensor fresh(float[] data, int[] shape) {
        return new Tensor(data, shape, Shapes.contiguousStrides(shape), 0);
    }

    // ---- creation ----

    /** Wraps data (no copy) as a contiguous tensor; its length must equal the shape's size. */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.clone();
        int n = Shapes.size(s);
        if (data.length != n) {
            throw new IllegalArgumentException("Tensor.of: data has " + data.length
                    + " elements but shape " + Shapes.str(s) + " needs " + n);
        }
        return fresh(data, s);
    }

    /**
     * Wraps the first elements of data (no copy) as a contiguous tensor: for an array from {@link
     * StepBuffers}, which may be longer than asked for (its size class, or a longer free array).
     */
    public static Tensor ofPrefix(float[] data, int... shape) {
        int[] s = shape.clone();
        int n = Shapes.size(s);
        if (data.length < n) {
            throw new IllegalArgumentException("Tensor.ofPrefix: data has " + data.length
                    + " elements but shape " + Shapes.str(s) + " needs " + n);
        }
        return fresh(data, s);
    }

    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return fresh(new float[Shapes.size(s)], s);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        int[] s = shape.clone();
        float[] d = new float[Shapes.size(s)];
        Arrays.fill(d, value);
        return fresh(d, s);
    }

    public static Tensor scalar(float value) {
        return fresh(new float[] {value}, new int[0]);
    }

    /** Normal(0, std²) values drawn with rng.nextGaussian() in row-major order. */
    public static Tensor randn(Random rng, float std, int... shape) {
        int[] s = shape.clone();
        float[] d = new float[Shapes.size(s)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (rng.nextGaussian() * std);
        return fresh(d, s);
    }

    // ---- shape and element access ----

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of an axis; negative axes count from the end. */
    public int dim(int axis) {
        return shape[Shapes.axis("dim", axis, shape.length)];
    }

    public int size() {
        return size;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (size != 1) {
            throw new IllegalStateException("item: needs one element, shape is " + Shapes.str(shape));
        }
        return backend != null ? backend.download(buffer, offset, 1)[0] : data[offset];
    }

    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: index " + Arrays.toString(index)
                    + " has " + index.length + " coordinates, tensor has rank " + shape.length);
        }
        int off = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index)
                        + " out of bounds for shape " + Shapes.str(shape));
            }
            off += index[i] * strides[i];
        }
        return backend != null ? backend.download(buffer, off, 1)[0] : data[off];
    }

    /** A contiguous row-major copy of the values. */
    public float[] toArray() {
        if (backend != null) return DeviceOps.download(this);
        float[] out = new float[size];
        if (isContiguous()) {
            System.arraycopy(data, offset, out, 0, size);
        } else {
            ElementwiseKernels.copy(shape, data, offset, strides, out, 0);
        }
        return out;
    }

    /**
     * How many times {@link #markModified()} was called: copies derived from the values (the
     * packed weights of decoding) remember it and are rebuilt when it moves.
     */
    public long version() {
        return version;
    }

    /**
     * Announces that the values were changed in place (an optimizer step, a restore). Code that
     * writes into {@link #data()} of a model's weight must call it, or a packed copy made earlier
     * would go on being used.
     */
    public void markModified() {
        version++;
    }

    /**
     * The backing array (shared with views); element i of a contiguous tensor is data()[offset()+i].
     * It may be longer than offset() + size() (views; arrays of a {@link StepBuffers} scope, which
     * may be longer than asked for): go by size(), not its length.
     */
    public float[] data() {
        if (backend != null) {
            throw new IllegalStateException("data(): tensor " + Shapes.str(shape) + " lives on " + backend.name()
                    + "; use toArray() for a host copy");
        }
        return data;
    }

    public int offset() {
        return offset;
    }

    /** Row-major without gaps (size-1 dims may have any stride). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** This tensor if contiguous, else a contiguous copy (differentiable). */
    public Tensor contiguous() {
        return isContiguous() ? this : LayoutOps.copy(this);
    }

    /** A view of the same values that is cut from the tape (no gradient flows through it). */
    public Tensor detach() {
        return view(shape, strides, offset);
    }

    // ---- autograd ----

    /** Marks a leaf as needing a gradient (or not); returns this. */
    public Tensor requiresGrad(boolean flag) {
        if (node != null && !flag) {
            throw new IllegalStateException("requiresGrad(false) on an op result: use detach()");
        }
        this.requiresGrad = flag;
        return this;
    }

    /** True for a leaf marked requiresGrad(true) and for any op result recorded on the tape. */
    public boolean requiresGrad() {
        return requiresGrad || node != null;
    }

    /** The accumulated gradient (this tensor's shape), or null before a backward reached it. */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the gradient (the next backward starts from zero). */
    public void zeroGrad() {
        grad = null;
        gradOwned = false;
    }

    /**
     * Replaces the gradient (null clears it). The tensor is adopted: a later backward adds into
     * it in place when it is contiguous from offset 0.
     */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shapes.str(g.shape)
                    + " does not match tensor shape " + Shapes.str(shape));
        }
        grad = g;
        gradOwned = g != null;
    }

    /** Back-propagates from this scalar; leaf gradients accumulate. */
    public void backward() {
        Autograd.backward(this);
    }

    /** Name of the op that produced this tensor on the tape, or null (leaf / recorded under noGrad). */
    public String gradFn() {
        return node == null ? null : node.op;
    }

    /**
     * Adds g (this tensor's shape) into the gradient. A leaf keeps a contiguous copy it owns;
     * an intermediate tensor may alias g (it is never changed in place).
     */
    void accumulateGrad(Tensor g) {
        if (!Arrays.equals(g.shape, shape)) {
            throw new IllegalStateException("internal: gradient " + Shapes.str(g.shape)
                    + " for tensor " + Shapes.str(shape) + (node == null ? "" : " from " + node.op));
        }
        if (backend != null || g.backend != null) {
            grad = DeviceOps.accumulate(this, grad, g);
            gradOwned = false;
            return;
        }
        if (node == null && grad == null) {
            grad = fresh(g.toArray(), shape.clone());
            gradOwned = true;
        } else if (grad == null) {
            grad = g; // alias: another tensor may hold the same buffer
            gradOwned = false;
        } else if (gradOwned || node == null) {
            Tensor sum = grad.isContiguous() && grad.offset == 0 ? grad : fresh(grad.toArray(), shape.clone());
            ElementwiseKernels.binary(ElementwiseKernels.ADD, shape, sum.data, 0, sum.strides,
                    g.data, g.offset, g.strides, sum.data);
            grad = sum;
            gradOwned = true;
        } else {
            grad = ElementwiseOps.add(grad, g);
            gradOwned = true;
        }
    }

    /**
     * Like {@link #accumulateGrad} for a gradient that the caller has just allocated and hands
     * over (nobody else holds it): the first one is adopted instead of copied (saves one copy of
     * every weight gradient per step), later ones are added into it in place.
     */
    void accumulateFreshGrad(Tensor g) {
        if (grad == null && backend == null && g.backend == null && g.offset == 0 && g.isContiguous()
                && Arrays.equals(g.shape, shape) && (node != null || g.data.length == size)) {
            // A leaf keeps its gradient beyond the step (micro-batches accumulate into it, the
            // optimizer reads it): the array must not go back to a StepBuffers pool. One longer
            // than the tensor (pooled: size classes, shortest fit) is copied instead (accumulateGrad):
            // optimizers, clipping and Parameter go by a gradient's array length.
            if (node == null) StepBuffers.escape(g.data);
            grad = g;
            gradOwned = true;
        } else {
            accumulateGrad(g);
        }
    }

    /**
     * The gradient's buffer when an op may add its contribution straight into it (owned,
     * contiguous from 0, on the host), else null: the op then allocates and accumulates as usual.
     */
    float[] ownedGradBuffer() {
        if (!gradOwned || grad == null || grad.backend != null || grad.offset != 0 || !grad.isContiguous()) return null;
        return grad.data;
    }

    /** The gradient's buffer is this tensor's alone (see the field); the reverse pass may then free it. */
    boolean gradOwned() {
        return gradOwned;
    }

    /** Drops a consumed intermediate gradient (the reverse pass, after this tensor's backward ran). */
    void releaseGrad() {
        grad = null;
        gradOwned = false;
    }

    // ---- shortcuts ----

    public Tensor add(Tensor other) { return Ops.add(this, other); }
    public Tensor sub(Tensor other) { return Ops.sub(this, other); }
    public Tensor mul(Tensor other) { return Ops.mul(this, other); }
    public Tensor div(Tensor other) { return Ops.div(this, other); }
    public Tensor scale(float s) { return Ops.scale(this, s); }
    public Tensor matmul(Tensor other) { return Ops.matmul(this, other); }
    public Tensor reshape(int... newShape) { return Ops.reshape(this, newShape); }
    public Tensor transpose(int axis0, int axis1) { return Ops.transpose(this, axis0, axis1); }
    public Tensor sum() { return Ops.sum(this); }
    public Tensor mean() { return Ops.mean(this); }

    @Override
    public String toString() {
        if (backend != null) return toHost().toString().replaceFirst("^Tensor", "Tensor@" + backend.name());
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape)).append(" [");
        int n = Math.min(size, 6);
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            int rem = i, off = offset;
            for (int d = shape.length - 1; d >= 0; d--) {
                off += (rem % shape[d]) * strides[d];
                rem /= shape[d];
            }
            sb.append(data[off]);
        }
        if (size > n) sb.append(", ...");
        sb.append(']');
        if (node != null) sb.append(" grad_fn=").append(node.op);
        else if (requiresGrad) sb.append(" requires_grad");
        return sb.toString();
    }
}
