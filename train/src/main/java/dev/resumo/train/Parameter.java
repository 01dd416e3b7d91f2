package dev.resumo.train;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.DeviceBuffer;
import dev.resumo.engine.cpu.ElementwiseKernels;
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

    /**
     * A parameter over existing values (no copy) with a fresh zero gradient on the same device as
     * the values, so backward, clipping and the optimizer never cross the host/device boundary.
     */
    public static Parameter of(String name, Tensor value) {
        Tensor grad = Tensor.zeros(value.shape());
        return new Parameter(name, value, value.isOnDevice() ? grad.to(value.backend()) : grad);
    }

    public static Parameter zeros(String name, int... shape) {
        return of(name, Tensor.zeros(shape));
    }

    public int[] shape() {
        return value.shape();
    }

    /** The host values (host parameters only: a device parameter throws, see {@link #load}). */
    public float[] values() {
        return value.data();
    }

    /** The host gradient (host parameters only). */
    public float[] grads() {
        return grad.data();
    }

    public void zeroGrad() {
        if (grad.isOnDevice()) {
            // In place on the device: a NaN gradient never reaches here (the Trainer stops first).
            grad.backend().scale(grad.deviceBuffer(), 0, 0f, grad.deviceBuffer(), grad.size());
        } else {
            ElementwiseKernels.fill(grad.data(), 0, grad.size(), 0f);
        }
    }

    /** Overwrites the values in place (resume, best-model export), on the host or the device. */
    public void load(float[] values) {
        if (values.length != value.size()) {
            throw new IllegalArgumentException("parameter " + name + ": " + values.length + " values for " + value.size());
        }
        if (value.isOnDevice()) {
            Backend b = value.backend();
            DeviceBuffer staged = b.upload(values);
            b.scale( // a copy into the resident buffer: the model keeps pointing at the same storage
                    staged, 0, 1f, value.deviceBuffer(), values.length);
        } else {
            System.arraycopy(values, 0, value.data(), 0, values.length);
        }
        value.markModified();
    }
}
