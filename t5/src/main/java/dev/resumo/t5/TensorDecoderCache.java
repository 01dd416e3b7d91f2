package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-layer keys and values of an incremental decode kept as tensors, for models whose weights live
 * on a device backend (the host path is {@link DecoderCache}, which writes in place): self-attention K/V grow by one position per
 * step; cross-attention K/V are projected once from the encoder output.
 */
final class TensorDecoderCache {
    /** One decoder layer's cache; tensors are [rows, heads, length, d_kv]. */
    static final class Layer {
        private Tensor keys;
        private Tensor values;
        private final Tensor crossKeys;
        private final Tensor crossValues;

        Layer(Tensor crossKeys, Tensor crossValues) {
            this.crossKeys = crossKeys;
            this.crossValues = crossValues;
        }

        void append(Tensor newKeys, Tensor newValues) {
            keys = keys == null ? newKeys : Ops.concat(2, keys, newKeys);
            values = values == null ? newValues : Ops.concat(2, values, newValues);
        }

        Tensor keys() { return keys; }
        Tensor values() { return values; }
        Tensor crossKeys() { return crossKeys; }
        Tensor crossValues() { return crossValues; }

        void reorder(int[] rows) {
            if (keys == null) return;
            keys = gatherRows(keys, rows);
            values = gatherRows(values, rows);
        }
    }

    final List<Layer> layers = new ArrayList<>();

    /** Row i of the result is row rows[i] of t (beam search keeps, drops and copies beams). */
    static Tensor gatherRows(Tensor t, int[] rows) {
        boolean identity = rows.length == t.dim(0);
        for (int i = 0; identity && i < rows.length; i++) identity = rows[i] == i;
        if (identity) return t;
        Tensor[] parts = new Tensor[rows.length];
        for (int i = 0; i < rows.length; i++) parts[i] = Ops.slice(t, 0, rows[i], rows[i] + 1);
        return parts.length == 1 ? parts[0] : Ops.concat(0, parts);
    }
}
