package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.opencl.OpenClAvailable;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Ops} function with its inputs resident on the OpenCL device against the same op on
 * host tensors: the forward values and, through L = Σ op(x)·R, every input's gradient. The
 * device tensors never come back to the host until compared. Tolerance 1e-5 relative to the
 * largest magnitude: both sides are float32, only summation order and OpenCL's exp/tanh differ.
 */
@Tag("opencl")
class DeviceOpsTest {
    private static final double TOL = 1e-5;

    private static void parity(String name, Function<Tensor[], Tensor> op, Tensor... host) {
        Backend be = OpenClAvailable.backend();
        Tensor[] dev = new Tensor[host.length];
        for (int i = 0; i < host.length; i++) {
            host[i].requiresGrad(true);
            dev[i] = host[i].to(be).requiresGrad(true);
            assertTrue(dev[i].isOnDevice());
        }
        Tensor yHost = op.apply(host);
        Tensor yDev = op.apply(dev);
        assertTrue(yDev.isOnDevice(), name + ": result left the device");
        close(name + " forward", yHost.toArray(), yDev.toArray());
        Tensor r = Tensor.randn(new Random(7), 1f, yHost.shape());
        Ops.sum(Ops.mul(yHost, r)).backward();
        Ops.sum(Ops.mul(yDev, r.to(be))).backward();
        for (int i = 0; i < host.length; i++) {
            assertNotNull(dev[i].grad(), name + ": input " + i + " got no gradient on the device");
            assertTrue(dev[i].grad().isOnDevice(), name + ": gradient of input " + i + " left the device");
            close(name + " grad " + i, host[i].grad().toArray(), dev[i].grad().toArray());
        }
    }

    private static void close(String what, float[] expected, float[] actual) {
        assertTrue(expected.length == actual.length, what + ": lengths differ");
        double scale = 1e-30, err = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) err = Math.max(err, Math.abs(expected[i] - actual[i]));
        assertTrue(err <= TOL * Math.max(1, scale), what + ": max error " + err + " (scale " + scale + ")");
    }

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Random(seed), 1f, shape);
    }

    /** Recorded (training), the fused linears are their composed ops: values and every gradient. */
    @Test
    void normedAndResidualLinears() {
        parity("rmsNormLinear", x -> Ops.rmsNormLinear(x[0], x[1], 1e-6f, 0.5f, x[2]), randn(41, 2, 3, 16), randn(42, 16),
                randn(43, 5, 16));
        parity("rmsNormLinearRelu", x -> Ops.rmsNormLinearRelu(x[0], x[1], 1e-6f, x[2]), randn(44, 4, 1, 16), randn(45, 16),
                randn(46, 7, 16));
        parity("addLinear", x -> Ops.addLinear(x[0], x[1], x[2]), randn(47, 2, 3, 5), randn(48, 2, 3, 16), randn(49, 5, 16));
    }

    @Test
    void broadcastArithmetic() {
        parity("add", x -> Ops.add(x[0], x[1]), randn(1, 2, 3, 4), randn(2, 3, 1));
        parity("sub", x -> Ops.sub(x[0], x[1]), randn(3, 2, 3, 4), randn(4, 4));
        parity("mul", x -> Ops.mul(x[0], x[1]), randn(5, 2, 3, 4), randn(6, 1, 3, 1));
        Tensor pos = Tensor.of(new float[] {0.5f, 1.5f, 2f, 3f}, 4);
        parity("div", x -> Ops.div(x[0], x[1]), randn(7, 3, 4), pos);
        parity("scale", x -> Ops.scale(x[0], -0.3f), randn(8, 5, 7));
    }

    @Test
    void matmulLayoutsBatchesAndViews() {
        parity("matmul NN", x -> Ops.matmul(x[0], x[1]), randn(1, 5, 7), randn(2, 7, 3));
        parity("matmul NT weight", x -> Ops.matmul(x[0], x[1], false, true), randn(3, 2, 5, 8), randn(4, 6, 8));
        parity("matmul TN", x -> Ops.matmul(x[0], x[1], true, false), randn(5, 7, 5), randn(6, 7, 3));
        parity("matmul batched broadcast", x -> Ops.matmul(x[0], x[1]), randn(7, 2, 3, 4, 5), randn(8, 3, 5, 6));
        parity("matmul attention", x -> Ops.matmul(x[0], x[1], false, true), randn(9, 2, 4, 6, 8), randn(10, 2, 4, 5, 8));
        parity("matmul transposed views", x -> Ops.matmul(Ops.transpose(x[0], 1, 2), Ops.transpose(x[1], 0, 1)),
                randn(11, 2, 4, 3), randn(12, 5, 4));
        parity("matmul strided view copy", x -> Ops.matmul(Ops.transpose(x[0], 0, 1), x[1]), randn(13, 3, 2, 4), randn(14, 4, 5));
    }

    @Test
    void reductionsAndLayout() {
        parity("sum", x -> Ops.sum(x[0]), randn(1, 3, 4));
        parity("mean axis", x -> Ops.mean(x[0], 1, false), randn(2, 3, 4, 5));
        parity("sum last axis", x -> Ops.sum(x[0], -1, true), randn(3, 3, 4));
        parity("reshape+transpose", x -> Ops.reshape(Ops.transpose(x[0], 0, 2), 4, 6), randn(4, 2, 3, 4));
        parity("concat", x -> Ops.concat(1, x[0], Ops.transpose(x[1], 1, 2)), randn(5, 2, 3, 4), randn(6, 2, 4, 2));
        parity("slice", x -> Ops.slice(x[0], 1, 1, 3), randn(7, 2, 4, 3));
    }

    @Test
    void activationsNormsAndSoftmax() {
        parity("relu", x -> Ops.relu(x[0]), randn(1, 4, 9));
        parity("gelu", x -> Ops.gelu(x[0]), randn(2, 4, 9));
        parity("geluErf", x -> Ops.geluErf(x[0]), randn(5, 4, 9));
        parity("silu", x -> Ops.silu(x[0]), randn(6, 4, 9));
    }

    @Test
    void rmsNorm() {
        parity("rmsNorm", x -> Ops.rmsNorm(x[0], x[1], 1e-6f), randn(3, 2, 3, 16), randn(4, 16));
    }

    @Test
    void softmaxAndDropout() {
        parity("softmax + learned bias", x -> Ops.softmax(x[0], x[1]), randn(5, 2, 3, 4, 5), randn(6, 1, 3, 4, 5));
        float[] m = new float[2 * 5];
        for (int i = 0; i < m.length; i += 3) m[i] = -Float.MAX_VALUE;
        Tensor hostMask = Tensor.of(m, 2, 1, 1, 5); // built on the host, as T5's padding masks are
        parity("softmax + host mask", x -> Ops.softmax(x[0], hostMask), randn(7, 2, 3, 4, 5));
        parity("dropout", x -> Ops.dropout(x[0], 0.3f, new Random(3)), randn(8, 6, 7));
    }

    @Test
    void embeddingAndCrossEntropy() {
        int[] ids = {3, 0, 3, 9, 5, 3};
        parity("embedding", x -> Ops.embedding(x[0], ids, 2, 3), randn(1, 10, 4));
        int[] labels = {2, -100, 7, 0, 7};
        parity("crossEntropy", x -> Ops.crossEntropy(x[0], labels, -100), randn(2, 5, 11));
    }
}
