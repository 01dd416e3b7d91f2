package dev.resumo.engine;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.DeviceBuffer;

/**
 * The self-attention keys and values of an incremental decode on a backend (a device), every layer
 * in one preallocated buffer written in place: layout [layers, rows, capacity, 2·inner], where
 * position p of row r in layer l holds that position's keys (inner = heads·d_kv floats, heads
 * merged as the projection writes them) followed by its values. A step of one layer is one
 * launch: the fused attention ({@link Ops#decodeAttention}) stores the new keys and values from a
 * fused q|k|v projection at their position and reads the query from that same projection and
 * the cache where it lies (the store was a strided copy of its own before: 6 launches per
 * PTT5-small step). Growing the keys with a concatenation per step copied
 * the whole cache of every layer every step (4 launches per layer).
 *
 * <p>Why keys and values interleaved per position rather than [rows, heads, capacity, d_kv]: the
 * fused projection writes k|v of a row next to each other, so the new position is a single
 * row-strided copy for both, and the layout is the host cache's ({@code DecodeAttention}'s
 * KvLayout), so the CPU backend runs the host kernel on it unchanged. The attention kernel reads
 * d_kv contiguous floats per (position, head) either way.
 *
 * <p>Beam search reorder: one gather of whole rows for every layer at once (the backend's
 * gatherRows over the buffer seen as [layers·rows, capacity·2·inner]) into a second buffer, then
 * the two swap: one launch per step. The host cache avoids the copy with a slot table read per
 * position, but on a device that table would have to be uploaded every step and read indirectly
 * by every work-group, while the copy costs microseconds on a GPU (6 MB for PTT5-small with 4
 * beams at 64 positions) against ~50 µs per launch, which is what bounds a device decode. The
 * second buffer is allocated on the first reorder only (greedy decoding never needs it).
 *
 * <p>The capacity is the decode's length hint; a position beyond it doubles the buffer (one copy
 * keeps the history). Inference only; one decode per cache, driven by one thread.
 */
public final class KvCache {
    private final Backend backend;
    private final int layers;
    private final int rows;
    private final int heads;
    private final int inner;
    private final int width; // 2·inner: keys then values
    private int capacity;
    private DeviceBuffer buffer;
    private DeviceBuffer spare; // the reorder target, null until the first reorder
    private final int[] gatherIds;

    /**
     * @param capacity positions to make room for (the decode's length hint; more grow the buffer)
     */
    public KvCache(Backend backend, int layers, int rows, int heads, int dKv, int capacity) {
        if (backend == null) throw new IllegalArgumentException("KvCache: backend is null (the host decode has its own cache)");
        if (layers < 1 || rows < 1 || heads < 1 || dKv < 1 || capacity < 1) {
            throw new IllegalArgumentException("KvCache: layers " + layers + ", rows " + rows + ", heads " + heads + ", d_kv " + dKv
                    + " and capacity " + capacity + " must all be ≥ 1");
        }
        this.backend = backend;
        this.layers = layers;
        this.rows = rows;
        this.heads = heads;
        this.inner = Math.multiplyExact(heads, dKv);
        this.width = Math.multiplyExact(2, inner);
        this.capacity = capacity;
        this.buffer = backend.allocateUninitialized(floats(capacity));
        this.gatherIds = new int[layers * rows];
    }

    public int capacity() {
        return capacity;
    }

    public int rows() {
        return rows;
    }

    private int floats(int positions) {
        long n = (long) layers * rows * positions * width;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("KvCache: " + layers + " layers × " + rows + " rows × " + positions + " positions × "
                    + width + " floats exceed one buffer's 2^31 floats");
        }
        return (int) n;
    }

    private int layerOffset(int layer) {
        return layer * rows * capacity * width;
    }

    /**
     * Self-attention of the new position {@code position} of every row in {@code layer}: writes
     * its keys and values, then attends its query over positions 0..position.
     *
     * @param qkv the fused projection [rows, 1, 3·inner]: query, keys, values of the new position
     * @param biasByDistance [≥position+1, heads]: row d is the bias of a key d positions before the
     *     query (a decoder's relative position bias depends on the distance only, so one table
     *     made at the start serves every step; it is read backwards, nothing is copied), or null
     * @return the context [rows, 1, inner], ready for the output projection
     */
    public Tensor attend(int layer, int position, Tensor qkv, Tensor biasByDistance) {
        if (layer < 0 || layer >= layers) throw new IllegalArgumentException("KvCache: layer " + layer + " outside 0.." + (layers - 1));
        if (position < 0) throw new IllegalArgumentException("KvCache: position " + position + " is negative");
        if (qkv.rank() != 3 || qkv.dim(0) != rows || qkv.dim(1) != 1 || qkv.dim(2) != 3 * inner) {
            throw new IllegalArgumentException("KvCache: qkv must be [" + rows + ", 1, " + 3 * inner + "] (q | k | v), got " + Shapes.str(qkv.shape));
        }
        if (qkv.backend != backend) {
            throw new IllegalArgumentException("KvCache: qkv lives on " + (qkv.backend == null ? "the host" : qkv.backend.name())
                    + ", the cache on " + backend.name());
        }
        if (biasByDistance != null && (biasByDistance.rank() != 2 || biasByDistance.dim(0) <= position || biasByDistance.dim(1) != heads)) {
            throw new IllegalArgumentException("KvCache: biasByDistance must be [≥" + (position + 1) + ", " + heads + "], got "
                    + Shapes.str(biasByDistance.shape));
        }
        if (position >= capacity) grow(position + 1);
        Tensor x = qkv.strides[2] == 1 ? qkv : DeviceOps.contiguous(qkv);
        int at = layerOffset(layer);
        if (!FusedOps.FUSE) { // the write as a launch of its own (-Dresumo.fuse=false, to measure the fused one)
            backend.copy(new int[] {rows, width}, x.buffer, x.offset + inner, new int[] {x.strides[0], 1},
                    buffer, at + position * width, new int[] {capacity * width, 1});
        }
        int[] kvShape = {rows, capacity, inner};
        int[] kvStrides = {capacity * width, width, 1};
        Tensor keys = new Tensor(backend, buffer, kvShape, kvStrides, at);
        Tensor values = new Tensor(backend, buffer, kvShape, kvStrides.clone(), at + inner);
        Tensor query = x.view(new int[] {rows, 1, inner}, new int[] {x.strides[0], inner, 1}, x.offset);
        Tensor bias = null;
        if (biasByDistance != null) {
            Tensor b = DeviceOps.on(backend, biasByDistance);
            // bias of key p = row (position - p): start at row `position`, step one row back per key
            bias = b.view(new int[] {1, heads, 1, position + 1}, new int[] {0, b.strides[1], 0, -b.strides[0]},
                    b.offset + position * b.strides[0]);
        }
        // The new keys and values (qkv's k and v) go into the cache in the attention's own launch.
        return FusedOps.FUSE ? DecodeAttentionOp.attend(query, keys, values, position + 1, bias, null, heads, x, inner, 2 * inner)
                : DecodeAttentionOp.attend(query, keys, values, position + 1, bias, null, heads);
    }

    /**
     * Row i continues from row {@code sources[i]} (beam search keeps, drops and copies beams):
     * one gather of whole rows for every layer, nothing when every row stays.
     */
    public void reorder(int[] sources) {
        if (sources.length != rows) throw new IllegalArgumentException("KvCache: reorder takes " + rows + " sources, got " + sources.length);
        boolean identity = true;
        for (int i = 0; i < rows; i++) {
            if (sources[i] < 0 || sources[i] >= rows) {
                throw new IllegalArgumentException("KvCache: reorder source " + sources[i] + " of row " + i + " outside 0.." + (rows - 1));
            }
            identity &= sources[i] == i;
        }
        if (identity) return;
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < rows; i++) gatherIds[l * rows + i] = l * rows + sources[i];
        }
        if (spare == null) spare = backend.allocateUninitialized(floats(capacity));
        backend.gatherRows(buffer, 0, capacity * width, gatherIds, spare);
        DeviceBuffer written = spare;
        spare = buffer;
        buffer = written;
    }

    /** Doubles the capacity (or more, to fit {@code needed}); one strided copy keeps every position. */
    private void grow(int needed) {
        int grown = Math.max(needed, 2 * capacity);
        DeviceBuffer next = backend.allocateUninitialized(floats(grown));
        backend.copy(new int[] {layers * rows, capacity, width}, buffer, 0, new int[] {capacity * width, width, 1},
                next, 0, new int[] {grown * width, width, 1});
        buffer.close();
        if (spare != null) spare.close();
        buffer = next;
        spare = null;
        capacity = grown;
    }

    /** Keys of a layer as a view [rows, capacity, inner] (tests). */
    Tensor keys(int layer) {
        return new Tensor(backend, buffer, new int[] {rows, capacity, inner}, new int[] {capacity * width, width, 1}, layerOffset(layer));
    }

    /** Values of a layer as a view [rows, capacity, inner] (tests). */
    Tensor values(int layer) {
        return new Tensor(backend, buffer, new int[] {rows, capacity, inner}, new int[] {capacity * width, width, 1}, layerOffset(layer) + inner);
    }
}
