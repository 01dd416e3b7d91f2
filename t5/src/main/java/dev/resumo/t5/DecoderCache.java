package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.cpu.DecodeAttention;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and values of an incremental decode. Self-attention K/V live in preallocated per-layer
 * buffers [rows, capacity, heads·d_kv] written in place, one position per step (the buffers double
 * when a decode outlives its capacity hint). Beam search reorders rows by index: one slot table,
 * shared by all layers, says which buffer row holds each row's keys at each position, so a beam
 * that continues another reads that beam's history where it lies and nothing is copied.
 * Cross-attention K/V are projected once from the encoder output, [rows, S, heads·d_kv].
 */
final class DecoderCache {
    /** One decoder layer's buffers. */
    static final class Layer {
        private float[] keys;
        private float[] values;
        private final Tensor crossKeys;   // [rows, S, inner], contiguous
        private final Tensor crossValues;

        Layer(int rows, int capacity, int inner, Tensor crossKeys, Tensor crossValues) {
            this.keys = new float[bufferLength(rows, capacity, inner)];
            this.values = new float[bufferLength(rows, capacity, inner)];
            this.crossKeys = crossKeys.contiguous();
            this.crossValues = crossValues.contiguous();
        }

        Tensor crossKeys() { return crossKeys; }
        Tensor crossValues() { return crossValues; }
    }

    final List<Layer> layers = new ArrayList<>();
    private final int rows;
    private final int inner;
    private int capacity;
    /** slots[r·capacity + p]: the buffer row holding row r's keys/values at position p. */
    private int[] slots;

    /**
     * Which encoder row each decode row's cross-attention reads, per position ([rows × S], the
     * layout {@link DecodeAttention} takes): r / copiesPerRow, so the beams of one input share one
     * projection of its keys and values. Null when every row has its own (copiesPerRow 1).
     */
    private final int[] crossSlots;

    DecoderCache(int rows, int inner, int capacity, int copiesPerRow, int sourceLength) {
        this.rows = rows;
        this.inner = inner;
        this.capacity = Math.max(1, capacity);
        this.slots = new int[bufferLength(rows, this.capacity, 1)];
        if (copiesPerRow == 1) {
            this.crossSlots = null;
        } else {
            this.crossSlots = new int[rows * sourceLength];
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(crossSlots, r * sourceLength, (r + 1) * sourceLength, r / copiesPerRow);
            }
        }
    }

    int capacity() {
        return capacity;
    }

    /** Writes position {@code position}'s new keys/values [rows, 1, inner] of one layer (row r into buffer row r). */
    void append(Layer layer, int position, Tensor newKeys, Tensor newValues) {
        Tensor k = newKeys.contiguous(), v = newValues.contiguous();
        for (int r = 0; r < rows; r++) {
            int at = (r * capacity + position) * inner;
            System.arraycopy(k.data(), k.offset() + r * inner, layer.keys, at, inner);
            System.arraycopy(v.data(), v.offset() + r * inner, layer.values, at, inner);
        }
    }

    /**
     * Writes the keys/values [count, 1, inner] of one row's positions {@code position ..
     * position+count-1} (a one-row decode checking several draft tokens in one pass) into row 0's
     * buffer.
     */
    void appendPositions(Layer layer, int position, int count, Tensor newKeys, Tensor newValues) {
        if (rows != 1) throw new IllegalStateException("several positions per pass: one-row decodes only, this one has " + rows);
        Tensor k = newKeys.contiguous(), v = newValues.contiguous();
        System.arraycopy(k.data(), k.offset(), layer.keys, position * inner, count * inner);
        System.arraycopy(v.data(), v.offset(), layer.values, position * inner, count * inner);
    }

    /** Marks position {@code position} of every row as written into its own buffer row. */
    void claim(int position) {
        if (position >= capacity) grow(position + 1);
        for (int r = 0; r < rows; r++) slots[r * capacity + position] = r;
    }

    /** Self-attention K/V layout for {@link DecodeAttention} over positions 0..length-1. */
    DecodeAttention.KvLayout selfLayout(Layer layer) {
        return new DecodeAttention.KvLayout(layer.keys, layer.values, 0, capacity * inner, inner, slots, capacity);
    }

    /**
     * Cross-attention K/V layout in which every query row reads encoder row 0 (the positions of a
     * one-row decode checked in one pass, each a query row of its own).
     */
    DecodeAttention.KvLayout crossLayoutOfRowZero(Layer layer) {
        if (rows != 1) throw new IllegalStateException("several positions per pass: one-row decodes only, this one has " + rows);
        Tensor k = layer.crossKeys, v = layer.crossValues;
        if (k.offset() != v.offset()) throw new IllegalStateException("cross keys and values differ in layout");
        return new DecodeAttention.KvLayout(k.data(), v.data(), k.offset(), 0, k.dim(2), null, 0);
    }

    /** Cross-attention K/V layout: row r reads encoder row r / copiesPerRow. */
    DecodeAttention.KvLayout crossLayout(Layer layer) {
        Tensor k = layer.crossKeys, v = layer.crossValues;
        int positions = k.dim(1);
        int width = k.dim(2);
        if (k.offset() != v.offset()) throw new IllegalStateException("cross keys and values differ in layout");
        return new DecodeAttention.KvLayout(k.data(), v.data(), k.offset(), positions * width, width, crossSlots,
                crossSlots == null ? 0 : positions);
    }

    /** Row i continues from row sources[i]: its slot table becomes that row's, for the first length positions. */
    void reorder(int[] sources, int length) {
        int[] next = new int[slots.length];
        for (int i = 0; i < rows; i++) System.arraycopy(slots, sources[i] * capacity, next, i * capacity, length);
        slots = next;
    }

    private void grow(int needed) {
        int grown = (int) Math.min(Math.max(needed, 2L * capacity), Integer.MAX_VALUE - 8);
        for (Layer layer : layers) {
            layer.keys = regrid(layer.keys, grown);
            layer.values = regrid(layer.values, grown);
        }
        int[] s = new int[rows * grown];
        for (int r = 0; r < rows; r++) System.arraycopy(slots, r * capacity, s, r * grown, capacity);
        slots = s;
        capacity = grown;
    }

    /**
     * rows × positions × inner, refused with a clear message when it does not fit one Java array
     * (it would otherwise wrap to a negative or too-small size).
     */
    static int bufferLength(int rows, int positions, int inner) {
        long n = (long) rows * positions * inner;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("decoder cache of " + rows + " rows × " + positions + " positions × " + inner
                    + " floats does not fit one array (at most 2^31 − 9 elements): lower max_new_tokens, the batch size or num_beams");
        }
        return (int) n;
    }

    private float[] regrid(float[] buffer, int grown) {
        float[] b = new float[bufferLength(rows, grown, inner)];
        for (int r = 0; r < rows; r++) System.arraycopy(buffer, r * capacity * inner, b, r * grown * inner, capacity * inner);
        return b;
    }

    /** Row i of the result is row rows[i] of t (beam search repeats each input's encoder rows). */
    static Tensor gatherRows(Tensor t, int[] rows) {
        boolean identity = rows.length == t.dim(0);
        for (int i = 0; identity && i < rows.length; i++) identity = rows[i] == i;
        if (identity) return t;
        Tensor[] parts = new Tensor[rows.length];
        for (int i = 0; i < rows.length; i++) parts[i] = Ops.slice(t, 0, rows[i], rows[i] + 1);
        return parts.length == 1 ? parts[0] : Ops.concat(0, parts);
    }

}
