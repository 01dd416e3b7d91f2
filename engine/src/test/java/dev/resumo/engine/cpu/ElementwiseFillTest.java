package dev.resumo.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The parallel fill writes exactly its range, on one thread and split over the workers. */
class ElementwiseFillTest {
    @Test
    void fillsExactlyTheRange() {
        int before = Workers.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Workers.setThreads(threads);
                for (int n : new int[] {0, 1, 1000, 1 << 20}) {
                    float[] a = new float[n + 10];
                    java.util.Arrays.fill(a, 7f);
                    ElementwiseKernels.fill(a, 3, n, 0f);
                    for (int i = 0; i < a.length; i++) {
                        float want = i >= 3 && i < 3 + n ? 0f : 7f;
                        if (a[i] != want) throw new AssertionError(threads + " threads, n " + n + ", element " + i + ": " + a[i]);
                    }
                }
            }
        } finally {
            Workers.setThreads(before);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> ElementwiseKernels.fill(new float[4], 2, 3, 0f));
    }
}
