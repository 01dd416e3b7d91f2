package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every op of {@link Ops}: forward against the double reference and analytic gradients against
 * double-precision central differences (tolerances and their reasons in {@link GradCheck}).
 * Shapes include odd sizes (1, 7, 33), broadcasting, transposed flags and views.
 */
class GradientCheckTest {
    private static int[] s(int... dims) {
        return dims;
    }

    // ---- elementwise ----

    @Test
    void addBroadcasts() {
        GradCheck.of("add same", 1, s(7, 33), s(7, 33)).run(t -> Ops.add(t[0], t[1]), r -> Ref.add(r[0], r[1]));
        GradCheck.of("add suffix", 2, s(7, 1, 33), s(33)).run(t -> Ops.add(t[0], t[1]), r -> Ref.add(r[0], r[1]));
        GradCheck.of("add both ways", 3, s(2, 3, 7, 5), s(1, 3, 1, 5)).run(t -> Ops.add(t[0], t[1]), r -> Ref.add(r[0], r[1]));
        GradCheck.of("add column", 4, s(7, 1), s(1, 33)).run(t -> Ops.add(t[0], t[1]), r -> Ref.add(r[0], r[1]));
        GradCheck.of("add scalar", 5, s(1), s(4, 5)).run(t -> Ops.add(t[0], t[1]), r -> Ref.add(r[0], r[1]));
    }

    @Test
    void subBroadcasts() {
        GradCheck.of("sub suffix", 6, s(7, 1, 33), s(33)).run(t -> Ops.sub(t[0], t[1]), r -> Ref.sub(r[0], r[1]));
        GradCheck.of("sub left small", 7, s(5), s(2, 3, 5)).run(t -> Ops.sub(t[0], t[1]), r -> Ref.sub(r[0], r[1]));
    }

    @Test
    void mulBroadcasts() {
        GradCheck.of("mul both ways", 8, s(2, 3, 7, 5), s(1, 3, 1, 5)).run(t -> Ops.mul(t[0], t[1]), r -> Ref.mul(r[0], r[1]));
        GradCheck.of("mul long row", 9, s(3, 65), s(3, 65)).run(t -> Ops.mul(t[0], t[1]), r -> Ref.mul(r[0], r[1]));
        GradCheck.of("mul one input", 10, s(7, 33), s(33)).noGradFor(1)
                .run(t -> Ops.mul(t[0], t[1]), r -> Ref.mul(r[0], r[1]));
    }

    @Test
    void divBroadcasts() {
        // Denominators kept in ±[0.5, 2.5] so the quotient and its derivative stay well scaled.
        GradCheck.of("div", 11, s(7, 1, 33), s(33)).mapInput(1, x -> Math.copySign(0.5 + Math.abs(x), x))
                .run(t -> Ops.div(t[0], t[1]), r -> Ref.div(r[0], r[1]));
        GradCheck.of("div left broadcast", 12, s(1, 5), s(3, 5)).mapInput(1, x -> Math.copySign(0.5 + Math.abs(x), x))
                .run(t -> Ops.div(t[0], t[1]), r -> Ref.div(r[0], r[1]));
    }

    @Test
    void scale() {
        GradCheck.of("scale", 13, s(7, 33)).run(t -> Ops.scale(t[0], -0.37f), r -> Ref.scale(r[0], -0.37f));
        GradCheck.of("scale of view", 14, s(3, 7)).run(t -> Ops.scale(Ops.transpose(t[0], 0, 1), 2f),
                r -> Ref.scale(Ref.transpose(r[0], 0, 1), 2f));
    }

    // ---- matmul ----

    @Test
    void matmulFlags() {
        GradCheck.of("matmul", 20, s(7, 33), s(33, 5)).run(t -> Ops.matmul(t[0], t[1]), r -> Ref.matmul(r[0], r[1], false, false));
        GradCheck.of("matmul transA", 21, s(33, 7), s(33, 5)).run(t -> Ops.matmul(t[0], t[1], true, false),
                r -> Ref.matmul(r[0], r[1], true, false));
        GradCheck.of("matmul transB", 22, s(7, 33), s(5, 33)).run(t -> Ops.matmul(t[0], t[1], false, true),
                r -> Ref.matmul(r[0], r[1], false, true));
        GradCheck.of("matmul both", 23, s(33, 7), s(5, 33)).run(t -> Ops.matmul(t[0], t[1], true, true),
                r -> Ref.matmul(r[0], r[1], true, true));
        GradCheck.of("matmul 1x1", 24, s(1, 1), s(1, 7)).run(t -> Ops.matmul(t[0], t[1]), r -> Ref.matmul(r[0], r[1], false, false));
    }

    @Test
    void matmulBatched() {
        GradCheck.of("batched weight (folded)", 25, s(2, 3, 7, 5), s(5, 4))
                .run(t -> Ops.matmul(t[0], t[1]), r -> Ref.matmul(r[0], r[1], false, false));
        GradCheck.of("batched weight transB", 26, s(2, 7, 5), s(4, 5))
                .run(t -> Ops.matmul(t[0], t[1], false, true), r -> Ref.matmul(r[0], r[1], false, true));
        GradCheck.of("batched weight transA", 27, s(2, 5, 7), s(5, 4))
                .run(t -> Ops.matmul(t[0], t[1], true, false), r -> Ref.matmul(r[0], r[1], true, false));
        GradCheck.of("batched both batched", 28, s(2, 3, 4, 5), s(2, 3, 5, 6))
                .run(t -> Ops.matmul(t[0], t[1]), r -> Ref.matmul(r[0], r[1], false, false));
        GradCheck.of("batch broadcast", 29, s(2, 1, 4, 5), s(3, 6, 5))
                .run(t -> Ops.matmul(t[0], t[1], false, true), r -> Ref.matmul(r[0], r[1], false, true));
        GradCheck.of("weight first", 30, s(4, 5), s(2, 3, 5, 6))
                .run(t -> Ops.matmul(t[0], t[1]), r -> Ref.matmul(r[0], r[1], false, false));
    }

    @Test
    void matmulOnViews() {
        // A transposed view is used in place with a flipped GEMM flag.
        GradCheck.of("matmul of transposed view", 31, s(33, 7), s(33, 5))
                .run(t -> Ops.matmul(Ops.transpose(t[0], 0, 1), t[1]),
                        r -> Ref.matmul(Ref.transpose(r[0], 0, 1), r[1], false, false));
        // Attention layout: [B, S, H, D] → [B, H, S, D] is neither contiguous nor a last-two swap.
        GradCheck.of("attention scores", 32, s(2, 7, 3, 4), s(2, 5, 3, 4))
                .run(t -> Ops.matmul(Ops.transpose(t[0], 1, 2), Ops.transpose(t[1], 1, 2), false, true),
                        r -> Ref.matmul(Ref.transpose(r[0], 1, 2), Ref.transpose(r[1], 1, 2), false, true));
        GradCheck.of("transposed view with transA", 33, s(2, 7, 5), s(5, 3))
                .run(t -> Ops.matmul(Ops.transpose(t[0], 1, 2), t[1], true, false),
                        r -> Ref.matmul(Ref.transpose(r[0], 1, 2), r[1], true, false));
    }

    // ---- reductions ----

    @Test
    void reductions() {
        GradCheck.of("sum", 40, s(7, 33)).run(t -> Ops.sum(t[0]), r -> Ref.sum(r[0]));
        GradCheck.of("mean", 41, s(2, 3, 7)).run(t -> Ops.mean(t[0]), r -> Ref.mean(r[0]));
        for (int axis : new int[] {0, 1, 2, -1}) {
            for (boolean keep : new boolean[] {true, false}) {
                GradCheck.of("sum axis " + axis + " keep " + keep, 42 + axis, s(3, 7, 5))
                        .run(t -> Ops.sum(t[0], axis, keep), r -> Ref.sum(r[0], axis, keep));
                GradCheck.of("mean axis " + axis + " keep " + keep, 50 + axis, s(3, 1, 33))
                        .run(t -> Ops.mean(t[0], axis, keep), r -> Ref.mean(r[0], axis, keep));
            }
        }
        GradCheck.of("sum of view", 47, s(3, 7)).run(t -> Ops.sum(Ops.transpose(t[0], 0, 1), 1, false),
                r -> Ref.sum(Ref.transpose(r[0], 0, 1), 1, false));
    }

    // ---- activations ----

    @Test
    void relu() {
        // The reference's kink at 0 is never within H of a normal draw at these seeds.
        GradCheck.of("relu", 60, s(7, 33)).run(t -> Ops.relu(t[0]), r -> Ref.relu(r[0]));
        GradCheck.of("relu of view", 61, s(5, 3)).run(t -> Ops.relu(Ops.transpose(t[0], 0, 1)),
                r -> Ref.relu(Ref.transpose(r[0], 0, 1)));
    }

    @Test
    void gelu() {
        GradCheck.of("gelu", 62, s(7, 33)).mapInput(0, x -> 3 * x).run(t -> Ops.gelu(t[0]), r -> Ref.gelu(r[0]));
        GradCheck.of("gelu odd", 63, s(1)).run(t -> Ops.gelu(t[0]), r -> Ref.gelu(r[0]));
    }

    @Test
    void geluErf() {
        GradCheck.of("geluErf", 64, s(7, 33)).mapInput(0, x -> 3 * x).run(t -> Ops.geluErf(t[0]), r -> Ref.geluErf(r[0]));
    }

    @Test
    void silu() {
        GradCheck.of("silu", 65, s(7, 33)).mapInput(0, x -> 3 * x).run(t -> Ops.silu(t[0]), r -> Ref.silu(r[0]));
    }

    @Test
    void softmax() {
        GradCheck.of("softmax", 70, s(7, 33)).mapInput(0, x -> 3 * x)
                .run(t -> Ops.softmax(t[0], null), r -> Ref.softmax(r[0], null));
        GradCheck.of("softmax row of 1", 71, s(4, 1)).run(t -> Ops.softmax(t[0], null), r -> Ref.softmax(r[0], null));
        // Padding mask [B, 1, 1, S] that is a constant (no grad); masked entries use finfo.min like HF T5.
        float[] pad = new float[2 * 5];
        pad[3] = -Float.MAX_VALUE;
        pad[5 + 4] = -Float.MAX_VALUE;
        Tensor mask = Tensor.of(pad, 2, 1, 1, 5);
        GradCheck.ofTensors("softmax padding mask", Tensor.randn(new Random(72), 1f, 2, 3, 4, 5), mask).noGradFor(1)
                .run(t -> Ops.softmax(t[0], t[1]), r -> Ref.softmax(r[0], r[1]));
        // Position bias [1, H, Q, K] learns through the mask.
        GradCheck.of("softmax bias with grad", 73, s(2, 3, 4, 7), s(1, 3, 4, 7))
                .run(t -> Ops.softmax(t[0], t[1]), r -> Ref.softmax(r[0], r[1]));
        GradCheck.of("softmax of transposed view", 74, s(7, 2, 5), s(7))
                .run(t -> Ops.softmax(Ops.transpose(t[0], 0, 2), t[1]), r -> Ref.softmax(Ref.transpose(r[0], 0, 2), r[1]));
    }

    @Test
    void rmsNorm() {
        GradCheck.of("rmsNorm", 80, s(7, 33), s(33)).run(t -> Ops.rmsNorm(t[0], t[1], 1e-6f),
                r -> Ref.rmsNorm(r[0], r[1], 1e-6f));
        GradCheck.of("rmsNorm 3d", 81, s(2, 3, 17), s(17)).run(t -> Ops.rmsNorm(t[0], t[1], 1e-6f),
                r -> Ref.rmsNorm(r[0], r[1], 1e-6f));
        // More rows than one block of the weight gradient's partial sums (32), with a partial last block.
        GradCheck.of("rmsNorm many rows", 84, s(70, 19), s(19)).run(t -> Ops.rmsNorm(t[0], t[1], 1e-6f),
                r -> Ref.rmsNorm(r[0], r[1], 1e-6f));
        // A large eps makes its place (inside the square root) matter to the values.
        GradCheck.of("rmsNorm eps", 82, s(5, 1), s(1)).run(t -> Ops.rmsNorm(t[0], t[1], 0.5f),
                r -> Ref.rmsNorm(r[0], r[1], 0.5f));
        GradCheck.of("rmsNorm of view", 83, s(9, 4), s(9)).run(t -> Ops.rmsNorm(Ops.transpose(t[0], 0, 1), t[1], 1e-6f),
                r -> Ref.rmsNorm(Ref.transpose(r[0], 0, 1), r[1], 1e-6f));
    }

    @Test
    void dropout() {
        GradCheck.of("dropout", 90, s(7, 33)).run(t -> Ops.dropout(t[0], 0.3f, new Random(5)),
                r -> Ref.dropout(r[0], 0.3f, 5));
        GradCheck.of("dropout p=0", 91, s(3, 7)).run(t -> Ops.dropout(t[0], 0f, new Random(5)), r -> r[0].copy());
    }

    // ---- indexing ----

    @Test
    void embedding() {
        int[] ids = {3, 1, 3, 0, 6, 3};
        GradCheck.of("embedding repeated ids", 100, s(7, 5)).run(t -> Ops.embedding(t[0], ids, 2, 3),
                r -> Ref.embedding(r[0], ids, 2, 3));
        GradCheck.of("embedding one", 101, s(1, 33)).run(t -> Ops.embedding(t[0], new int[] {0}, 1),
                r -> Ref.embedding(r[0], new int[] {0}, 1));
    }

    @Test
    void toeplitzGather() {
        // 3 × 4 grid: 6 diagonals, ids repeating so the backward adds several diagonals into one row
        int[] byDiagonal = {2, 0, 2, 1, 2, 0};
        int[] perElement = new int[12];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) perElement[r * 4 + c] = byDiagonal[c - r + 2];
        }
        GradCheck.of("toeplitz gather", 102, s(3, 5)).run(t -> Ops.toeplitzGather(t[0], byDiagonal, 3, 4),
                r -> Ref.transpose(Ref.transpose(Ref.embedding(r[0], perElement, 3, 4), 1, 2), 0, 1));
    }

    @Test
    void crossEntropy() {
        int[] labels = {4, -100, 0, 32, -100, 7, 7};
        GradCheck.of("crossEntropy", 110, s(7, 33)).mapInput(0, x -> 3 * x)
                .run(t -> Ops.crossEntropy(t[0], labels, -100), r -> Ref.crossEntropy(r[0], labels, -100));
        int[] labels3 = {1, 10, -100, 0, 5, 2};
        GradCheck.of("crossEntropy 3d", 111, s(2, 3, 11))
                .run(t -> Ops.crossEntropy(t[0], labels3, -100), r -> Ref.crossEntropy(r[0], labels3, -100));
        GradCheck.of("crossEntropy of view", 112, s(11, 6))
                .run(t -> Ops.crossEntropy(Ops.transpose(t[0], 0, 1), labels3, -100),
                        r -> Ref.crossEntropy(Ref.transpose(r[0], 0, 1), labels3, -100));
        // Label smoothing: the gradient's −ε/V on every class and 1 − ε on the label (a missing term
        // would be off by ε/V ≈ 3e-3 per element here, far above the check's tolerance).
        GradCheck.of("crossEntropy smoothed", 113, s(7, 33)).mapInput(0, x -> 3 * x)
                .run(t -> Ops.crossEntropy(t[0], labels, -100, 0.1f), r -> Ref.crossEntropy(r[0], labels, -100, 0.1));
        GradCheck.of("crossEntropy fully smoothed", 114, s(2, 3, 11))
                .run(t -> Ops.crossEntropy(t[0], labels3, -100, 1f), r -> Ref.crossEntropy(r[0], labels3, -100, 1));
    }

    @Test
    void concat() {
        for (int axis : new int[] {0, 1, -1}) {
            int[] a = {2, 3, 4}, b = {2, 3, 4}, c = {2, 3, 4};
            int ax = axis < 0 ? 2 : axis;
            b[ax] = 1;
            c[ax] = 5;
            GradCheck.of("concat axis " + axis, 120 + axis, a, b, c)
                    .run(t -> Ops.concat(axis, t[0], t[1], t[2]), r -> Ref.concat(axis, r[0], r[1], r[2]));
        }
        GradCheck.of("concat with constant and view", 124, s(3, 2), s(2, 4)).noGradFor(1)
                .run(t -> Ops.concat(1, Ops.transpose(t[0], 0, 1), t[1]),
                        r -> Ref.concat(1, Ref.transpose(r[0], 0, 1), r[1]));
    }

    @Test
    void slice() {
        GradCheck.of("slice axis 0", 130, s(7, 3, 5)).run(t -> Ops.slice(t[0], 0, 2, 6), r -> Ref.slice(r[0], 0, 2, 6));
        GradCheck.of("slice axis 1", 131, s(7, 3, 5)).run(t -> Ops.slice(t[0], 1, 1, 2), r -> Ref.slice(r[0], 1, 1, 2));
        GradCheck.of("slice axis -1", 132, s(7, 3, 5)).run(t -> Ops.slice(t[0], -1, 0, 5), r -> Ref.slice(r[0], -1, 0, 5));
        GradCheck.of("slice of view", 133, s(4, 6)).run(t -> Ops.slice(Ops.transpose(t[0], 0, 1), 1, 1, 3),
                r -> Ref.slice(Ref.transpose(r[0], 0, 1), 1, 1, 3));
    }

    // ---- layout ----

    @Test
    void reshapeAndTranspose() {
        GradCheck.of("reshape", 140, s(6, 5)).run(t -> Ops.mul(Ops.reshape(t[0], 3, -1), Ops.reshape(t[0], 3, 10)),
                r -> Ref.mul(Ref.reshape(r[0], 3, 10), Ref.reshape(r[0], 3, 10)));
        GradCheck.of("reshape of transposed (copies)", 141, s(2, 3, 4))
                .run(t -> Ops.reshape(Ops.transpose(t[0], 1, 2), 8, 3),
                        r -> Ref.reshape(Ref.transpose(r[0], 1, 2), 8, 3));
        GradCheck.of("transpose feeding mul", 142, s(7, 1, 33), s(33, 1, 7))
                .run(t -> Ops.mul(Ops.transpose(t[0], 0, 2), t[1]), r -> Ref.mul(Ref.transpose(r[0], 0, 2), r[1]));
        GradCheck.of("contiguous", 143, s(3, 4)).run(t -> Ops.transpose(t[0], 0, 1).contiguous(),
                r -> Ref.transpose(r[0], 0, 1));
    }

    @Test
    void composedBlock() {
        // A miniature attention + feed-forward path: every op at once, shared inputs, views.
        int[] ids = {1, 4, 4, 2, 0, 3};
        int[] labels = {2, -100, 1, 0, 3, -100};
        int checked = GradCheck.of("mini block", 150, s(5, 8), s(8), s(8, 8), s(1, 2, 3, 3))
                .run(t -> {
                    Tensor h = Ops.embedding(t[0], ids, 2, 3);
                    Tensor n = Ops.rmsNorm(h, t[1], 1e-6f);
                    Tensor q = Ops.transpose(Ops.reshape(Ops.matmul(n, t[2]), 2, 3, 2, 4), 1, 2);
                    Tensor k = Ops.transpose(Ops.reshape(n, 2, 3, 2, 4), 1, 2);
                    Tensor p = Ops.softmax(Ops.matmul(q, k, false, true), t[3]);
                    Tensor ctx = Ops.reshape(Ops.transpose(Ops.matmul(p, k), 1, 2), 2, 3, 8);
                    Tensor y = Ops.add(h, Ops.gelu(ctx));
                    Tensor logits = Ops.matmul(Ops.reshape(y, 6, 8), t[0], false, true);
                    return Ops.crossEntropy(logits, labels, -100);
                }, r -> {
                    Ref h = Ref.embedding(r[0], ids, 2, 3);
                    Ref n = Ref.rmsNorm(h, r[1], 1e-6f);
                    Ref q = Ref.transpose(Ref.reshape(Ref.matmul(n, r[2], false, false), 2, 3, 2, 4), 1, 2);
                    Ref k = Ref.transpose(Ref.reshape(n, 2, 3, 2, 4), 1, 2);
                    Ref p = Ref.softmax(Ref.matmul(q, k, false, true), r[3]);
                    Ref ctx = Ref.reshape(Ref.transpose(Ref.matmul(p, k, false, false), 1, 2), 2, 3, 8);
                    Ref y = Ref.add(h, Ref.gelu(ctx));
                    Ref logits = Ref.matmul(Ref.reshape(y, 6, 8), r[0], false, true);
                    return Ref.crossEntropy(logits, labels, -100);
                });
        assertTrue(checked == 40 + 8 + 64 + 18, "checked " + checked + " gradient entries");
    }
}
