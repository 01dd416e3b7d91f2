package dev.resumo.t5;

import dev.resumo.engine.Tensor;

/**
 * Additive attention masks as Hugging Face builds them: 0 where a key may be attended, the most
 * negative float32 where it may not (so a masked key gets probability exactly 0 after softmax).
 */
public final class AttentionMasks {
    /** torch.finfo(torch.float32).min, what HF's extended masks use. */
    public static final float MASKED = -Float.MAX_VALUE;

    private AttentionMasks() {}

    /** [batch, 1, 1, length] from a 0/1 padding mask (1 = real token), row-major [batch, length]. */
    public static Tensor padding(int[] mask, int batch, int length) {
        if (mask.length != batch * length) {
            throw new IllegalArgumentException("attention mask has " + mask.length + " entries, expected " + batch + "×" + length);
        }
        float[] m = new float[batch * length];
        for (int i = 0; i < m.length; i++) m[i] = mask[i] != 0 ? 0f : MASKED;
        return Tensor.of(m, batch, 1, 1, length);
    }

    /** [1, 1, length, length]: query i may attend keys 0..i. */
    public static Tensor causal(int length) {
        float[] m = new float[length * length];
        for (int q = 0; q < length; q++) {
            for (int k = q + 1; k < length; k++) m[q * length + k] = MASKED;
        }
        return Tensor.of(m, 1, 1, length, length);
    }
}
