package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;

/**
 * Checks an op against its double-precision reference ({@link Ref}):
 * <ol>
 *   <li>forward: the engine's float output equals the reference within float rounding;</li>
 *   <li>backward: for L = Σ op(x)·R with a fixed random R, the engine's analytic gradients equal
 *       central differences of L computed entirely in double on the reference.</li>
 * </ol>
 * Inputs are float values (the reference sees exactly the same numbers, widened), so the only
 * difference between the two sides is float32 rounding in the engine.
 */
final class GradCheck {
    /** Finite-difference step: in double, h = 1e-6 keeps truncation (~h²) and rounding (~1e-16/h) below 1e-9. */
    static final double H = 1e-6;
    /**
     * Gradient tolerance, relative to the largest reference gradient of that input: the engine
     * computes in float32 (ε ≈ 6e-8) over reductions of up to a few hundred terms, which leaves
     * errors around 1e-5 of the largest gradient; 1e-3 keeps a wide margin, while a wrong
     * backward formula is off by O(1) of it.
     */
    static final double GRAD_TOL = 1e-3;
    /** Forward tolerance: float32 rounding of sums of up to ~100 terms of size ~1. */
    static final double FORWARD_TOL = 2e-5;

    private final String name;
    private final Tensor[] inputs;
    private final boolean[] needsGrad;
    private int checked;

    private GradCheck(String name, Tensor[] inputs, boolean[] needsGrad) {
        this.name = name;
        this.inputs = inputs;
        this.needsGrad = needsGrad;
    }

    /** Random normal inputs with the given shapes; all of them need a gradient. */
    static GradCheck of(String name, long seed, int[]... shapes) {
        Random rng = new Random(seed);
        Tensor[] in = new Tensor[shapes.length];
        boolean[] grad = new boolean[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            in[i] = Tensor.randn(rng, 1f, shapes[i]);
            grad[i] = true;
        }
        return new GradCheck(name, in, grad);
    }

    /** Given input tensors (their values are used as given). */
    static GradCheck ofTensors(String name, Tensor... in) {
        boolean[] grad = new boolean[in.length];
        java.util.Arrays.fill(grad, true);
        return new GradCheck(name, in, grad);
    }

    GradCheck noGradFor(int input) {
        needsGrad[input] = false;
        return this;
    }

    /** Replaces input i's values by f(value) (e.g. to keep a denominator away from 0). */
    GradCheck mapInput(int i, java.util.function.DoubleUnaryOperator f) {
        float[] d = inputs[i].toArray();
        for (int j = 0; j < d.length; j++) d[j] = (float) f.applyAsDouble(d[j]);
        inputs[i] = Tensor.of(d, inputs[i].shape());
        return this;
    }

    /** Runs both checks; returns the number of gradient entries compared. */
    int run(Function<Tensor[], Tensor> op, Function<Ref[], Ref> ref) {
        Tensor[] leaves = new Tensor[inputs.length];
        Ref[] refs = new Ref[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = Tensor.of(inputs[i].toArray(), inputs[i].shape()).requiresGrad(needsGrad[i]);
            refs[i] = Ref.of(inputs[i]);
        }
        Tensor out = op.apply(leaves);
        Ref expected = ref.apply(refs);
        assertArrayEquals(expected.shape, out.shape(), name + ": output shape");
        float[] got = out.toArray();
        double scale = maxAbs(expected.v);
        for (int i = 0; i < got.length; i++) {
            double err = Math.abs(got[i] - expected.v[i]);
            assertTrue(err <= FORWARD_TOL * (Math.abs(expected.v[i]) + scale),
                    name + ": forward element " + i + " is " + got[i] + ", reference " + expected.v[i]);
        }

        Random rng = new Random(1234);
        float[] r = new float[got.length];
        for (int i = 0; i < r.length; i++) r[i] = (float) rng.nextGaussian();
        Ref rRef = Ref.of(Tensor.of(r, out.shape()));
        Ops.sum(Ops.mul(out, Tensor.of(r, out.shape()))).backward();

        for (int i = 0; i < inputs.length; i++) {
            if (!needsGrad[i]) continue;
            Tensor grad = leaves[i].grad();
            assertNotNull(grad, name + ": input " + i + " got no gradient");
            assertArrayEquals(leaves[i].shape(), grad.shape(), name + ": gradient shape of input " + i);
            double[] numeric = numericGrad(ref, refs, i, rRef);
            float[] analytic = grad.toArray();
            double gScale = Math.max(maxAbs(numeric), 1e-6);
            for (int j = 0; j < numeric.length; j++) {
                double err = Math.abs(analytic[j] - numeric[j]);
                assertTrue(err <= GRAD_TOL * (Math.abs(numeric[j]) + gScale),
                        name + ": d/d(input " + i + ")[" + j + "] analytic " + analytic[j]
                                + " vs finite difference " + numeric[j]);
                checked++;
            }
        }
        assertTrue(checked > 0 || !anyGrad(), name + ": nothing checked");
        return checked;
    }

    private boolean anyGrad() {
        for (boolean b : needsGrad) if (b) return true;
        return false;
    }

    private static double[] numericGrad(Function<Ref[], Ref> ref, Ref[] refs, int which, Ref r) {
        Ref x = refs[which];
        double[] g = new double[x.size()];
        for (int j = 0; j < g.length; j++) {
            double orig = x.v[j];
            x.v[j] = orig + H;
            double plus = dot(ref.apply(refs), r);
            x.v[j] = orig - H;
            double minus = dot(ref.apply(refs), r);
            x.v[j] = orig;
            g[j] = (plus - minus) / (2 * H);
        }
        return g;
    }

    private static double dot(Ref a, Ref b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += a.v[i] * b.v[i];
        return s;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }
}
