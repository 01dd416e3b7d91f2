package dev.resumo.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resumo.engine.cpu.Workers;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GradNormsTest {
    @Test
    void sumOfSquaresIsAccurateAndTheSameForAnyThreadCount() {
        Random r = new Random(4);
        float[] d = new float[300_017];
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * (i % 97 == 0 ? 30 : 0.01));
        int off = 13, n = d.length - 20;
        double exact = 0;
        for (int j = off; j < off + n; j++) exact += (double) d[j] * d[j];
        int before = Workers.threads();
        try {
            Workers.setThreads(1);
            double one = GradNorms.sumSquares(d, off, n);
            Workers.setThreads(2);
            double two = GradNorms.sumSquares(d, off, n);
            Workers.setThreads(3);
            double three = GradNorms.sumSquares(d, off, n);
            // float lanes over runs of 64 vectors, double beyond: well inside 1e-6 of the double sum.
            assertEquals(exact, one, exact * 1e-6);
            assertEquals(one, two, 0.0, "same chunks and order for 2 threads");
            assertEquals(one, three, 0.0, "same chunks and order for 3 threads");
        } finally {
            Workers.setThreads(before);
        }
    }

    @Test
    void scaleMultipliesEveryElementOfTheRangeOnly() {
        float[] d = new float[70_003];
        for (int i = 0; i < d.length; i++) d[i] = i * 0.5f - 7f;
        float[] want = d.clone();
        for (int j = 5; j < 5 + 69_990; j++) want[j] *= 0.37f;
        GradNorms.scale(d, 5, 69_990, 0.37f);
        for (int i = 0; i < d.length; i++) assertEquals(want[i], d[i], 0f, "element " + i);
    }
}
