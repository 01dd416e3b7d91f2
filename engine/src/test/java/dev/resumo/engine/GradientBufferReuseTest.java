package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gradients are added in place into buffers a tensor owns (and matmul/embedding backward write
 * straight into them); a buffer shared by two tensors — add's backward hands one gradient to both
 * inputs — must never be changed in place. This graph makes both happen: h and c receive the same
 * gradient from a = h + c, then h also gets matmul and embedding-free contributions, c a product's.
 * Expected gradients are written out by hand.
 */
class GradientBufferReuseTest {
    @Test
    void sharedGradientsStayIntactWhileOwnedOnesAccumulateInPlace() {
        int n = 3, d = 4;
        Random r = new Random(5);
        float[] xv = new float[n * d], wv = new float[d * d], r1 = new float[n * d], r2 = new float[n * d], r3 = new float[n * d];
        for (float[] arr : new float[][] {xv, wv, r1, r2, r3}) {
            for (int i = 0; i < arr.length; i++) arr[i] = (float) r.nextGaussian();
        }
        Tensor x = Tensor.of(xv.clone(), n, d).requiresGrad(true);
        Tensor w = Tensor.of(wv.clone(), d, d).requiresGrad(true);
        Tensor h = Ops.scale(x, 2f);
        Tensor c = Ops.scale(x, 3f);
        Tensor a = Ops.add(h, c);                         // dh += r1, dc += r1 (one shared buffer)
        Tensor m1 = Ops.matmul(h, w, false, true);        // dh += r2 · w
        Tensor m2 = Ops.matmul(h, w, false, false);       // dh += r2 · wᵀ... (second product into h's grad)
        // The a-term last: the reverse pass then runs add's backward first, so h and c hold the same
        // buffer before their other contributions arrive (the case an in-place add would corrupt).
        Tensor loss = Ops.add(Ops.add(Ops.sum(Ops.mul(m1, Tensor.of(r2, n, d))), Ops.sum(Ops.mul(m2, Tensor.of(r3, n, d)))),
                Ops.add(Ops.sum(Ops.mul(c, Tensor.of(r3, n, d))), Ops.sum(Ops.mul(a, Tensor.of(r1, n, d)))));
        loss.backward();
        // dL/dh = r1 + r2·w + r3·wᵀ ; dL/dc = r1 + r3 ; dL/dx = 2·dh + 3·dc
        float[] gx = x.grad().toArray();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double dh = r1[i * d + j], dc = r1[i * d + j] + r3[i * d + j];
                for (int q = 0; q < d; q++) {
                    dh += r2[i * d + q] * wv[q * d + j];  // m1 = h·wᵀ: dh = r2·w
                    dh += r3[i * d + q] * wv[j * d + q];  // m2 = h·w:  dh = r3·wᵀ
                }
                assertEquals(2 * dh + 3 * dc, gx[i * d + j], 1e-4, "dx[" + i + "][" + j + "]");
            }
        }
    }
}
