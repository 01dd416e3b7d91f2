package dev.resumo.engine.opencl;

import dev.resumo.engine.Tensor;

/** The checks the device optimizers make on a parameter or gradient before using its buffer. */
final class ClDense {
    private ClDense() {}

    static void check(String who, String name, Tensor t, OpenClBackend backend) {
        if (t.backend() != backend) {
            throw new IllegalArgumentException(who + ": '" + name + "' is not on " + backend.name()
                    + " (move the model's parameters with Tensor.to(backend) first)");
        }
        if (!t.isContiguous() || t.offset() != 0) {
            throw new IllegalArgumentException(who + ": '" + name + "' must be contiguous with offset 0");
        }
    }
}
