package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.rng.Xoshiro256Random;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Ops#toeplitzGather} against the composition it replaced for T5's position bias (a lookup
 * per element, then a permute to heads-first): the same values and, summed in the same order, the
 * same bits of the table's gradient, at a size where the kernels split the work across threads.
 */
class ToeplitzGatherTest {
    private static final int BUCKETS = 32, HEADS = 8, ROWS = 67, COLS = 131;

    private static int[] byDiagonal(Random r) {
        int[] ids = new int[ROWS + COLS - 1];
        for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(BUCKETS);
        return ids;
    }

    private static int[] perElement(int[] byDiagonal) {
        int[] ids = new int[ROWS * COLS];
        for (int q = 0; q < ROWS; q++) {
            for (int k = 0; k < COLS; k++) ids[q * COLS + k] = byDiagonal[k - q + ROWS - 1];
        }
        return ids;
    }

    private static Tensor table(Random r) {
        float[] v = new float[BUCKETS * HEADS];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensor.of(v, BUCKETS, HEADS).requiresGrad(true);
    }

    @Test
    void valuesAndTableGradientAreThoseOfALookupPerElementThenAPermute() {
        Random r = new Xoshiro256Random(3);
        int[] diagonals = byDiagonal(r);
        Tensor upstream = Tensor.of(randoms(r, HEADS * ROWS * COLS), HEADS, ROWS, COLS);

        Tensor direct = table(new Xoshiro256Random(4));
        Tensor gathered = Ops.toeplitzGather(direct, diagonals, ROWS, COLS);
        Ops.sum(Ops.mul(gathered, upstream)).backward();

        Tensor composed = table(new Xoshiro256Random(4));
        Tensor perPair = Ops.embedding(composed, perElement(diagonals), ROWS, COLS);
        Tensor permuted = Ops.transpose(Ops.transpose(perPair, 1, 2), 0, 1).contiguous();
        Ops.sum(Ops.mul(permuted, upstream)).backward();

        assertArrayEquals(permuted.toArray(), gathered.toArray(), "the bias values");
        assertArrayEquals(composed.grad().toArray(), direct.grad().toArray(), "the table's gradient, bit for bit");
    }

    @Test
    void badIdsAndLengthsAreClearErrors() {
        Tensor table = table(new Xoshiro256Random(5));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> Ops.toeplitzGather(table, new int[5], 3, 4));
        assertTrue(count.getMessage().contains("3 × 4 needs 6 diagonal ids") && count.getMessage().contains("got 5"),
                count.getMessage());
        int[] ids = new int[6];
        ids[4] = BUCKETS;
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> Ops.toeplitzGather(table, ids, 3, 4));
        assertTrue(range.getMessage().contains("id 32 of diagonal 4") && range.getMessage().contains("32 rows"),
                range.getMessage());
    }

    private static float[] randoms(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
