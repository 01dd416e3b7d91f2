package dev.resumo.engine;

import dev.resumo.engine.cpu.ElementwiseKernels;
import dev.resumo.engine.cpu.IndexKernels;
import dev.resumo.engine.cpu.SoftmaxKernels;
import java.util.Arrays;

/** Embedding lookup, cross-entropy, concat and slice. */
final class IndexingOps {
    private IndexingOps() {}

    static Tensor embedding(Tensor weight, int[] ids, int... idsShape) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("embedding: weight must be [V, D], got " + Shapes.str(weight.shape));
        }
        int[] shape = idsShape.clone();
        if (Shapes.size(shape) != ids.length) {
            throw new IllegalArgumentException("embedding: " + ids.length + " ids do not fill shape "
                    + Shapes.str(shape) + " (" + Shapes.size(shape) + " elements)");
        }
        int v = weight.shape[0], d = weight.shape[1];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= v) {
                throw new IllegalArgumentException("embedding: id " + ids[i] + " at position " + i
                        + " is out of range for a vocabulary of " + v);
            }
        }
        if (weight.isOnDevice()) return DeviceOps.embedding(weight, ids, shape);
        Tensor w = weight.contiguous();
        int[] idsCopy = ids.clone(); // the backward must see the ids of this call
        int[] outShape = Arrays.copyOf(shape, shape.length + 1);
        outShape[shape.length] = d;
        // Shapes.size refuses a result past 2^31-1 floats with the shape in the message, where
        // ids.length * d would wrap to a negative array size.
        float[] out = StepBuffers.uninitialized(Shapes.size(outShape)); // every row gathered
        IndexKernels.gatherRows(w.data, w.offset, d, idsCopy, out);
        Tensor result = Tensor.fresh(out, outShape);
        if (!Autograd.shouldRecord(w)) return result;
        return Tape.record(result, "embedding", g -> {
            Tensor gc = g.contiguous();
            addIntoGradient(w, dst -> IndexKernels.scatterAddRows(gc.data, gc.offset, d, idsCopy, dst));
        }, w);
    }

    /**
     * Runs {@code scatterAdd} into the table's gradient: straight into the buffer it owns (a tied
     * embedding already holds the lm_head's gradient), else into zeros it then adopts.
     */
    private static void addIntoGradient(Tensor table, java.util.function.Consumer<float[]> scatterAdd) {
        float[] into = table.ownedGradBuffer();
        if (into != null) {
            scatterAdd.accept(into);
            return;
        }
        float[] dw = StepBuffers.zeroed(table.size()); // added into
        scatterAdd.accept(dw);
        table.accumulateFreshGrad(Tensor.fresh(dw, table.shape.clone()));
    }

    /**
     * [D, rows, cols] with out[j, r, c] = weight[idsByDiagonal[c − r + rows − 1], j]: an embedding
     * looked up by diagonal (key − query, for T5's position bias) and laid out feature-major, so a
     * [1, heads, queries, keys] bias is a view of it. Gathering per element ([rows, cols, D]) and
     * permuting made three copies of the bias a training step (the permute's forward and backward
     * and the per-element id array), none of them pooled.
     */
    static Tensor toeplitzGather(Tensor weight, int[] idsByDiagonal, int rows, int cols) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("toeplitzGather: weight must be [V, D], got " + Shapes.str(weight.shape));
        }
        int diagonals = rows == 0 || cols == 0 ? 0 : rows + cols - 1;
        if (rows < 0 || cols < 0 || idsByDiagonal.length != diagonals) {
            throw new IllegalArgumentException("toeplitzGather: " + rows + " × " + cols + " needs " + diagonals
                    + " diagonal ids (rows + cols − 1), got " + idsByDiagonal.length);
        }
        int v = weight.shape[0], d = weight.shape[1];
        for (int i = 0; i < idsByDiagonal.length; i++) {
            if (idsByDiagonal[i] < 0 || idsByDiagonal[i] >= v) {
                throw new IllegalArgumentException("toeplitzGather: id " + idsByDiagonal[i] + " of diagonal " + i
                        + " is out of range for a table of " + v + " rows");
            }
        }
        int[] outShape = {d, rows, cols};
        if (weight.isOnDevice()) {
            // Devices compose it from the per-element lookup (the bias is small next to a step there).
            int[] ids = new int[Shapes.size(new int[] {rows, cols})];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) ids[r * cols + c] = idsByDiagonal[c - r + rows - 1];
            }
            Tensor perElement = embedding(weight, ids, rows, cols); // [rows, cols, D]
            return LayoutOps.transpose(LayoutOps.transpose(perElement, 1, 2), 0, 1).contiguous();
        }
        Tensor w = weight.contiguous();
        int[] ids = idsByDiagonal.clone(); // the backward must see the ids of this call
        float[] out = StepBuffers.uninitialized(Shapes.size(outShape)); // every element gathered
        IndexKernels.gatherToeplitz(w.data, w.offset, d, ids, rows, cols, out);
        Tensor result = Tensor.fresh(out, outShape);
        if (!Autograd.shouldRecord(w)) return result;
        return Tape.record(result, "toeplitz_gather", g -> {
            Tensor gc = g.contiguous();
            addIntoGradient(w, dst -> IndexKernels.scatterAddToeplitz(gc.data, gc.offset, d, ids, rows, cols, dst));
        }, w);
    }

    /**
     * Mean cross-entropy over labels != ignoreIndex. When no label is counted the loss is 0 and
     * the gradient is 0 (PyTorch returns NaN there; a batch of padding must not poison training).
     */
    static Tensor crossEntropy(Tensor logits, int[] labels, int ignoreIndex, float smoothing) {
        return crossEntropy(logits, labels, ignoreIndex, smoothing, false);
    }

    /**
     * With {@code consumeLogits} the reverse pass writes the logits' gradient over the logits
     * themselves (host, an op result, contiguous from offset 0): the kernel reads each element
     * before it writes the same one, and the op that made the logits needs only their gradient
     * (a product's backward never reads its output). Saves an array of the logits' size — at
     * PTT5-small batch 8 × 64 target tokens × 32,128 ids, 63 MiB of the step. The caller promises
     * that nothing reads the logits after the backward and that this op is their only consumer.
     */
    static Tensor crossEntropy(Tensor logits, int[] labels, int ignoreIndex, float smoothing, boolean consumeLogits) {
        // PyTorch's range for label_smoothing; NaN fails both comparisons.
        if (!(smoothing >= 0f && smoothing <= 1f)) {
            throw new IllegalArgumentException("crossEntropy: label smoothing must be in [0, 1], got " + smoothing);
        }
        if (logits.rank() == 0) throw new IllegalArgumentException("crossEntropy: logits must be [N, V], got a scalar");
        int v = logits.shape[logits.rank() - 1];
        int rows = v == 0 ? 0 : logits.size() / v;
        if (labels.length != rows) {
            throw new IllegalArgumentException("crossEntropy: " + labels.length + " labels for logits "
                    + Shapes.str(logits.shape) + " (" + rows + " rows)");
        }
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == ignoreIndex) continue;
            if (labels[i] < 0 || labels[i] >= v) {
                throw new IllegalArgumentException("crossEntropy: label " + labels[i] + " at position " + i
                        + " is out of range for " + v + " classes (ignoreIndex is " + ignoreIndex + ")");
            }
            count++;
        }
        if (logits.isOnDevice()) return DeviceOps.crossEntropy(logits, labels, ignoreIndex, smoothing, count);
        Tensor z = logits.contiguous();
        int[] labelsCopy = labels.clone();
        float[] lse = new float[rows];
        double total = SoftmaxKernels.crossEntropy(z.data, z.offset, rows, v, labelsCopy, ignoreIndex, smoothing, lse);
        Tensor loss = Tensor.scalar(count == 0 ? 0f : (float) (total / count));
        if (!Autograd.shouldRecord(z)) return loss;
        int counted = count;
        return Tape.record(loss, "crossEntropy", g -> {
            float scale = counted == 0 ? 0f : g.item() / counted;
            boolean inPlace = consumeLogits && z.node != null && z.offset == 0 && z.isContiguous();
            float[] dz = inPlace ? z.data : StepBuffers.uninitialized(z.size()); // ignored rows are written as zeros
            SoftmaxKernels.crossEntropyBackward(z.data, z.offset, rows, v, labelsCopy, ignoreIndex, smoothing, lse, scale, dz);
            z.accumulateFreshGrad(Tensor.fresh(dz, z.shape.clone()));
        }, z);
    }

    static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concat: needs at least one tensor");
        int rank = parts[0].rank();
        int ax = Shapes.axis("concat", axis, rank);
        int[] outShape = parts[0].shape.clone();
        outShape[ax] = 0;
        for (Tensor p : parts) {
            boolean ok = p.rank() == rank;
            for (int i = 0; ok && i < rank; i++) ok = i == ax || p.shape[i] == parts[0].shape[i];
            if (!ok) {
                throw new IllegalArgumentException("concat: along axis " + axis + " cannot join "
                        + Shapes.str(parts[0].shape) + " with " + Shapes.str(p.shape)
                        + " (all dims but the axis must match)");
            }
            outShape[ax] += p.shape[ax];
        }
        for (Tensor p : parts) if (p.isOnDevice()) return DeviceOps.concat(ax, outShape, parts);
        float[] out = new float[Shapes.size(outShape)];
        int[] outStrides = Shapes.contiguousStrides(outShape);
        int start = 0;
        for (Tensor p : parts) { // write each part into its slab of the output
            ElementwiseKernels.copy(p.shape, p.data, p.offset, p.strides, out, start * outStrides[ax], outStrides);
            start += p.shape[ax];
        }
        Tensor result = Tensor.fresh(out, outShape);
        if (!Autograd.shouldRecord(parts)) return result;
        Tensor[] inputs = parts.clone();
        return Tape.record(result, "concat", g -> {
            int s = 0;
            for (Tensor p : inputs) {
                int len = p.shape[ax];
                if (p.requiresGrad()) p.accumulateFreshGrad(sliceCopy(g, ax, s, s + len));
                s += len;
            }
        }, inputs);
    }

    static Tensor slice(Tensor a, int axis, int start, int end) {
        int ax = Shapes.axis("slice", axis, a.rank());
        if (start < 0 || end < start || end > a.shape[ax]) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is invalid for axis "
                    + axis + " of " + Shapes.str(a.shape) + " (size " + a.shape[ax] + ")");
        }
        if (a.isOnDevice()) return DeviceOps.slice(a, ax, start, end);
        Tensor result = sliceCopy(a, ax, start, end);
        if (!Autograd.shouldRecord(a)) return result;
        return Tape.record(result, "slice", g -> {
            float[] da = new float[a.size()];
            int[] strides = Shapes.contiguousStrides(a.shape);
            ElementwiseKernels.copy(g.shape, g.data, g.offset, g.strides, da, start * strides[ax], strides);
            a.accumulateFreshGrad(Tensor.fresh(da, a.shape.clone()));
        }, a);
    }

    /** Contiguous copy of [start, end) along ax (no recording). */
    private static Tensor sliceCopy(Tensor a, int ax, int start, int end) {
        int[] shape = a.shape.clone();
        shape[ax] = end - start;
        float[] out = new float[Shapes.size(shape)];
        ElementwiseKernels.copy(shape, a.data, a.offset + start * a.strides[ax], a.strides, out, 0);
        return Tensor.fresh(out, shape);
    }
}
