package dev.resumo.train;

import java.util.Arrays;

/**
 * One trainable array as the Trainer sees it: its name (HF layout, e.g. "shared.weight"), shape,
 * live values and the gradient accumulated since the last optimizer step. Keeping the Trainer on
 * plain arrays lets it clip, step, checkpoint and restore any model the same way.
 */
public record Parameter(String name, int[] shape, float[] value, float[] grad) {
    public Parameter {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != value.length || value.length != grad.length) {
            throw new IllegalArgumentException("parameter " + name + ": shape " + Arrays.toString(shape)
                    + " does not match " + value.length + " values / " + grad.length + " gradients");
        }
    }

    public static Parameter zeros(String name, int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return new Parameter(name, shape, new float[Math.toIntExact(n)], new float[Math.toIntExact(n)]);
    }

    public void zeroGrad() {
        Arrays.fill(grad, 0f);
    }
}
