package dev.resumo.train;

import dev.resumo.engine.Tensor;
import java.util.Arrays;

/**
 * One trainable tensor as the Trainer sees it: its name (HF layout, e.g. "shared.weight"), its live
 * values and the gradient accumulated since the last optimizer step, both contiguous from offset 0
 * (what the engine optimizers and clipping update in place). The model writes its gradients into
 * {@link #grad()}; keeping them apart from the tape lets the Trainer clip, step, checkpoint and
 * restore any model the same way.
 */
public record Parameter(String name, Tensor value, Tensor grad) {
    public Parameter {
        if (!value.isContiguous() || value.offset() != 0) {
            throw new IllegalArgumentException("parameter " + name + " must be contiguous with offset 0");
        }
        if (!Arrays.equals(value.shape(), grad.shape()) || !grad.isContiguous() || grad.offset() != 0) {
            throw new IllegalArgumentException("parameter " + name + ": gradient " + Arrays.toString(grad.shape())
                    + " does not match " + Arrays.toString(value.shape()));
        }
    }

    /** A parameter over existing values (no copy) with a fresh zero gradient. */
    public static Parameter of(String name, Tensor value) {
        return new Parameter(name, value, Tensor.zeros(value.shape()));
    }

    public static Parameter zeros(String name, int... shape) {
        return of(name, Tensor.zeros(shape));
    }

    public int[] shape() {
        return value.shape();
    }

    public float[] values() {
        return value.data();
    }

    public float[] grads() {
        return grad.data();
    }

    public void zeroGrad() {
        Arrays.fill(grad.data(), 0f);
    }
}
