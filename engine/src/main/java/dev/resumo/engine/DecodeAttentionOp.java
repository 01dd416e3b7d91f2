package dev.resumo.engine;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.CpuBackend;
import dev.resumo.engine.backend.DeviceBuffer;

/**
 * {@link Ops#decodeAttention}: attention of one new query per row over cached keys and values as
 * one backend call ({@link Backend#decodeAttention}), reading every operand where it lies (views
 * into a cache, a fused q|k|v projection, a bias read backwards) instead of copying it into the
 * layouts the composed ops need. Host tensors run the CPU backend's kernel on their arrays.
 * Inference only: nothing is recorded on the tape.
 */
final class DecodeAttentionOp {
    private DecodeAttentionOp() {}

    static Tensor attend(Tensor query, Tensor keys, Tensor values, int length, Tensor headBias, Tensor mask, int heads) {
        return attend(query, keys, values, length, headBias, mask, heads, null, 0, 0);
    }

    /**
     * As above, after storing the newest position (length-1) of keys and values from
     * {@code newKv}: row r's keys at newKv's buffer from {@code newKv.offset + r·newKv.strides[0] +
     * newKeysAt}, its values from {@code newValuesAt} ({@link KvCache}: the fused projection's k
     * and v; one launch on a device, see {@link Backend#decodeAttention}). Null: nothing stored.
     */
    static Tensor attend(Tensor query, Tensor keys, Tensor values, int length, Tensor headBias, Tensor mask, int heads,
                         Tensor newKv, int newKeysAt, int newValuesAt) {
        if (query == null || keys == null || values == null) throw new IllegalArgumentException("decodeAttention: query, keys and values are required");
        if (query.rank() != 3 || query.shape[1] != 1) {
            throw new IllegalArgumentException("decodeAttention: query must be [rows, 1, heads·d_kv], got " + Shapes.str(query.shape));
        }
        int rows = query.shape[0], inner = query.shape[2];
        if (heads < 1 || inner % heads != 0) {
            throw new IllegalArgumentException("decodeAttention: query width " + inner + " is not a multiple of heads " + heads);
        }
        if (keys.rank() != 3 || keys.shape[0] != rows || keys.shape[2] != inner) {
            throw new IllegalArgumentException("decodeAttention: keys must be [" + rows + ", positions, " + inner + "], got " + Shapes.str(keys.shape));
        }
        if (!java.util.Arrays.equals(values.shape, keys.shape) || !java.util.Arrays.equals(values.strides, keys.strides)) {
            throw new IllegalArgumentException("decodeAttention: values " + Shapes.str(values.shape) + " must have the shape and strides of keys "
                    + Shapes.str(keys.shape));
        }
        if (keys.strides[2] != 1) throw new IllegalArgumentException("decodeAttention: keys and values need contiguous heads·d_kv (last stride 1)");
        if (length < 1 || length > keys.shape[1]) {
            throw new IllegalArgumentException("decodeAttention: length " + length + " outside 1.." + keys.shape[1] + " (cached positions)");
        }
        if (headBias != null && (headBias.rank() != 4 || headBias.shape[0] != 1 || headBias.shape[1] != heads
                || headBias.shape[2] != 1 || headBias.shape[3] < length)) {
            throw new IllegalArgumentException("decodeAttention: headBias must be [1, " + heads + ", 1, ≥" + length + "], got "
                    + Shapes.str(headBias.shape));
        }
        if (mask != null && (mask.rank() != 4 || (mask.shape[0] != rows && mask.shape[0] != 1) || mask.shape[1] != 1
                || mask.shape[2] != 1 || mask.shape[3] < length)) {
            throw new IllegalArgumentException("decodeAttention: mask must be [" + rows + ", 1, 1, ≥" + length + "], got " + Shapes.str(mask.shape));
        }
        if (Autograd.isGradEnabled() && (query.requiresGrad() || keys.requiresGrad() || values.requiresGrad()
                || (headBias != null && headBias.requiresGrad()))) {
            throw new IllegalStateException("decodeAttention records no gradient: run it under Autograd.noGrad()");
        }
        Backend device = DeviceOps.backendOf(query, keys, values, headBias, mask);
        Backend be = device == null ? CpuBackend.INSTANCE : device;
        Tensor q = query.strides[2] == 1 ? query : query.contiguous();
        Tensor m = mask == null ? null : DeviceOps.on(device, mask);
        if (m != null && m.strides[3] != 1) m = device == null ? m.contiguous() : DeviceOps.contiguous(m);
        Tensor b = headBias == null ? null : DeviceOps.on(device, headBias);
        Tensor out = device == null ? Tensor.fresh(new float[rows * inner], new int[] {rows, 1, inner})
                : DeviceOps.empty(device, new int[] {rows, 1, inner});
        be.decodeAttention(rows, heads, inner / heads, length, newKv == null ? null : buffer(newKv),
                newKv == null ? 0 : newKv.offset + newKeysAt, newKv == null ? 0 : newKv.offset + newValuesAt,
                newKv == null ? 0 : newKv.strides[0], buffer(q), q.offset, q.strides[0],
                buffer(keys), keys.offset, buffer(values), values.offset, keys.strides[0], keys.strides[1],
                b == null ? null : buffer(b), b == null ? 0 : b.offset, b == null ? 0 : b.strides[1], b == null ? 0 : b.strides[3],
                m == null ? null : buffer(m), m == null ? 0 : m.offset, m == null || m.shape[0] == 1 ? 0 : m.strides[0],
                buffer(out));
        return out;
    }

    /** The backend buffer of a tensor: its device buffer, or its host array wrapped (no copy). */
    private static DeviceBuffer buffer(Tensor t) {
        return t.backend != null ? t.buffer : new CpuBackend.Array(t.data);
    }
}
