package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Shape mistakes name the op and the shapes involved. */
class ShapeErrorTest {
    private static void fails(String message, Executable call) {
        var e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void messages() {
        Tensor a23 = Tensor.zeros(2, 3);
        fails("matmul: cannot multiply [2, 3] by [4, 5] (inner dims 3 vs 4)", () -> Ops.matmul(a23, Tensor.zeros(4, 5)));
        fails("matmul(transB): cannot multiply [2, 3] by [3, 5] (inner dims 3 vs 5)",
                () -> Ops.matmul(a23, Tensor.zeros(3, 5), false, true));
        fails("matmul: needs rank >= 2 operands, got [3] and [3, 5]", () -> Ops.matmul(Tensor.zeros(3), Tensor.zeros(3, 5)));
        fails("matmul: batch dims of [2, 2, 3] and [3, 3, 4] do not broadcast",
                () -> Ops.matmul(Tensor.zeros(2, 2, 3), Tensor.zeros(3, 3, 4)));
        fails("add: cannot broadcast [2, 3] with [4] (dim 1 of the result: 3 vs 4)", () -> Ops.add(a23, Tensor.zeros(4)));
        fails("mul: cannot broadcast [2, 3] with [3, 3] (dim 0 of the result: 2 vs 3)", () -> Ops.mul(a23, Tensor.zeros(3, 3)));
        fails("reshape: cannot reshape [2, 3] (6 elements) into [4, 2] (8 elements)", () -> Ops.reshape(a23, 4, 2));
        fails("reshape: cannot reshape [2, 3] (6 elements) into [4, -1]", () -> Ops.reshape(a23, 4, -1));
        fails("transpose: axis 2 is out of range for rank 2", () -> Ops.transpose(a23, 0, 2));
        fails("sum: axis -3 is out of range for rank 2", () -> Ops.sum(a23, -3, false));
        fails("softmax: mask [2, 1] does not broadcast to x [1, 3]", () -> Ops.softmax(Tensor.zeros(1, 3), Tensor.zeros(2, 1)));
        fails("rmsNorm: weight [2] must be [3] to match the last dim of x [2, 3]", () -> Ops.rmsNorm(a23, Tensor.zeros(2), 1e-6f));
        fails("dropout: p must be in [0, 1], got 1.5", () -> Ops.dropout(a23, 1.5f, new Random(1)));
        fails("embedding: id 7 at position 1 is out of range for a vocabulary of 2", () -> Ops.embedding(a23, new int[] {0, 7}, 2));
        fails("embedding: 2 ids do not fill shape [3] (3 elements)", () -> Ops.embedding(a23, new int[] {0, 1}, 3));
        fails("embedding: weight must be [V, D], got [3]", () -> Ops.embedding(Tensor.zeros(3), new int[] {0}, 1));
        fails("crossEntropy: 3 labels for logits [2, 3] (2 rows)", () -> Ops.crossEntropy(a23, new int[] {0, 1, 2}, -100));
        fails("crossEntropy: label 3 at position 1 is out of range for 3 classes (ignoreIndex is -100)",
                () -> Ops.crossEntropy(a23, new int[] {0, 3}, -100));
        fails("concat: along axis 0 cannot join [2, 3] with [2, 4] (all dims but the axis must match)",
                () -> Ops.concat(0, a23, Tensor.zeros(2, 4)));
        fails("slice: range [1, 4) is invalid for axis 1 of [2, 3] (size 3)", () -> Ops.slice(a23, 1, 1, 4));
        fails("Tensor.of: data has 5 elements but shape [2, 3] needs 6", () -> Tensor.of(new float[5], 2, 3));
        fails("get: index [1] has 1 coordinates, tensor has rank 2", () -> a23.get(1));
    }
}
