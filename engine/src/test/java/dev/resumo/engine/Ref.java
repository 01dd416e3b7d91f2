package dev.resumo.engine;

import java.util.Arrays;
import java.util.Random;

/**
 * A plain double-precision n-d array with straightforward loop implementations of every op:
 * the reference for forward tests and the function that finite differences are taken of.
 * Deliberately naive (index arithmetic per element) so that it is easy to check by eye.
 */
final class Ref {
    final double[] v;
    final int[] shape;

    Ref(double[] v, int... shape) {
        if (v.length != Shapes.size(shape)) throw new IllegalArgumentException("Ref: size mismatch");
        this.v = v;
        this.shape = shape.clone();
    }

    static Ref of(Tensor t) {
        float[] f = t.toArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return new Ref(d, t.shape());
    }

    int size() {
        return v.length;
    }

    Ref copy() {
        return new Ref(v.clone(), shape);
    }

    // ---- index helpers ----

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    static int ravel(int[] idx, int[] shape) {
        int flat = 0;
        for (int d = 0; d < shape.length; d++) flat = flat * shape[d] + idx[d];
        return flat;
    }

    /** Value at an index of the broadcast shape (leading dims missing, size-1 dims repeat). */
    double atBroadcast(int[] outIdx) {
        int lead = outIdx.length - shape.length;
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            int i = shape[d] == 1 ? 0 : outIdx[lead + d];
            flat = flat * shape[d] + i;
        }
        return v[flat];
    }

    // ---- ops ----

    interface Binary {
        double apply(double a, double b);
    }

    static Ref binary(Ref a, Ref b, Binary f) {
        int[] shape = Shapes.broadcast("ref", a.shape, b.shape);
        double[] out = new double[Shapes.size(shape)];
        for (int i = 0; i < out.length; i++) {
            int[] idx = unravel(i, shape);
            out[i] = f.apply(a.atBroadcast(idx), b.atBroadcast(idx));
        }
        return new Ref(out, shape);
    }

    static Ref add(Ref a, Ref b) { return binary(a, b, Double::sum); }
    static Ref sub(Ref a, Ref b) { return binary(a, b, (x, y) -> x - y); }
    static Ref mul(Ref a, Ref b) { return binary(a, b, (x, y) -> x * y); }
    static Ref div(Ref a, Ref b) { return binary(a, b, (x, y) -> x / y); }

    static Ref scale(Ref a, double s) {
        double[] out = a.v.clone();
        for (int i = 0; i < out.length; i++) out[i] *= s;
        return new Ref(out, a.shape);
    }

    static Ref map(Ref a, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(a.v[i]);
        return new Ref(out, a.shape);
    }

    static Ref relu(Ref a) { return map(a, x -> Math.max(x, 0)); }

    static Ref gelu(Ref a) {
        double c = Math.sqrt(2 / Math.PI);
        return map(a, x -> 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x))));
    }

    /** Exact GELU x·Φ(x), with an erf of its own (series, then continued fraction): not Erf's fit. */
    static Ref geluErf(Ref a) { return map(a, x -> 0.5 * x * (1 + erf(x / Math.sqrt(2)))); }

    static Ref silu(Ref a) { return map(a, x -> x / (1 + Math.exp(-x))); }

    /** erf to ~1e-15: Maclaurin series below 3, Lentz's continued fraction of erfc above. */
    static double erf(double z) {
        double a = Math.abs(z);
        if (a < 3) {
            double term = a, sum = a;
            for (int n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
            }
            return Math.signum(z) * 2 / Math.sqrt(Math.PI) * sum;
        }
        // erfc(a) = exp(-a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...)))))
        double f = a;
        for (int k = 60; k >= 1; k--) f = a + (k / 2.0) / f;
        double erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        return Math.signum(z) * (1 - erfc);
    }

    static Ref transpose(Ref a, int i, int j) {
        int r = a.shape.length;
        i = i < 0 ? i + r : i;
        j = j < 0 ? j + r : j;
        int[] shape = a.shape.clone();
        shape[i] = a.shape[j];
        shape[j] = a.shape[i];
        double[] out = new double[a.size()];
        for (int f = 0; f < out.length; f++) {
            int[] idx = unravel(f, shape);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            out[f] = a.v[ravel(idx, a.shape)];
        }
        return new Ref(out, shape);
    }

    static Ref reshape(Ref a, int... shape) {
        return new Ref(a.v.clone(), shape);
    }

    /** Batched matmul with broadcasting batch dims, straight from the definition. */
    static Ref matmul(Ref a, Ref b, boolean ta, boolean tb) {
        Ref opA = ta ? transpose(a, -1, -2) : a;
        Ref opB = tb ? transpose(b, -1, -2) : b;
        int ra = opA.shape.length, rb = opB.shape.length;
        int m = opA.shape[ra - 2], k = opA.shape[ra - 1], n = opB.shape[rb - 1];
        if (opB.shape[rb - 2] != k) throw new IllegalArgumentException("ref matmul inner dims");
        int[] batch = Shapes.broadcast("ref", Arrays.copyOf(opA.shape, ra - 2), Arrays.copyOf(opB.shape, rb - 2));
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        double[] out = new double[Shapes.size(outShape)];
        for (int f = 0; f < out.length; f++) {
            int[] idx = unravel(f, outShape);
            double s = 0;
            for (int p = 0; p < k; p++) {
                int[] ia = idx.clone();
                ia[ia.length - 1] = p;
                int[] ib = idx.clone();
                ib[ib.length - 2] = p;
                s += opA.atBroadcastMatrix(ia) * opB.atBroadcastMatrix(ib);
            }
            out[f] = s;
        }
        return new Ref(out, outShape);
    }

    /** Like atBroadcast, for an index whose last two coordinates are exact. */
    private double atBroadcastMatrix(int[] idx) {
        return atBroadcast(idx);
    }

    static Ref sum(Ref a) {
        double s = 0;
        for (double x : a.v) s += x;
        return new Ref(new double[] {s});
    }

    static Ref sum(Ref a, int axis, boolean keepDim) {
        int ax = axis < 0 ? axis + a.shape.length : axis;
        int[] kept = a.shape.clone();
        kept[ax] = 1;
        double[] out = new double[Shapes.size(kept)];
        for (int f = 0; f < a.size(); f++) {
            int[] idx = unravel(f, a.shape);
            idx[ax] = 0;
            out[ravel(idx, kept)] += a.v[f];
        }
        return new Ref(out, Shapes.withoutAxis(a.shape, ax, keepDim));
    }

    static Ref mean(Ref a) {
        return scale(sum(a), 1.0 / a.size());
    }

    static Ref mean(Ref a, int axis, boolean keepDim) {
        int ax = axis < 0 ? axis + a.shape.length : axis;
        return scale(sum(a, axis, keepDim), 1.0 / a.shape[ax]);
    }

    static Ref softmax(Ref x, Ref mask) {
        Ref z = mask == null ? x.copy() : add(x, mask);
        int n = z.shape[z.shape.length - 1];
        double[] out = z.v.clone();
        for (int r = 0; r < out.length / n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) max = Math.max(max, out[r * n + i]);
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.exp(out[r * n + i] - max);
            for (int i = 0; i < n; i++) out[r * n + i] = Math.exp(out[r * n + i] - max) / s;
        }
        return new Ref(out, x.shape);
    }

    static Ref rmsNorm(Ref x, Ref w, double eps) {
        int d = w.size();
        double[] out = new double[x.size()];
        for (int r = 0; r < out.length / d; r++) {
            double ss = 0;
            for (int i = 0; i < d; i++) ss += x.v[r * d + i] * x.v[r * d + i];
            double inv = 1 / Math.sqrt(ss / d + eps);
            for (int i = 0; i < d; i++) out[r * d + i] = x.v[r * d + i] * inv * w.v[i];
        }
        return new Ref(out, x.shape);
    }

    /** Same draw order as Ops.dropout: one nextFloat per element, keep if >= p. */
    static Ref dropout(Ref x, double p, long seed) {
        long s = new Random(seed).nextLong();
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) out[i] = dropoutDraw(s, i) >= p ? x.v[i] / (1 - p) : 0;
        return new Ref(out, x.shape);
    }

    /** The documented dropout draw of element i: SplitMix64's finalizer of seed + (i+1)·golden, top 24 bits. */
    static float dropoutDraw(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) / (float) (1 << 24);
    }

    static Ref embedding(Ref w, int[] ids, int... idsShape) {
        int d = w.shape[1];
        double[] out = new double[ids.length * d];
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < d; j++) out[i * d + j] = w.v[ids[i] * d + j];
        }
        int[] shape = Arrays.copyOf(idsShape, idsShape.length + 1);
        shape[idsShape.length] = d;
        return new Ref(out, shape);
    }

    static Ref crossEntropy(Ref logits, int[] labels, int ignore) {
        return crossEntropy(logits, labels, ignore, 0);
    }

    /** With label smoothing ε: each counted row's loss is (1 − ε)(lse − z[label]) + ε·mean_v(lse − z[v]), in double. */
    static Ref crossEntropy(Ref logits, int[] labels, int ignore, double smoothing) {
        int v = logits.shape[logits.shape.length - 1];
        double total = 0;
        int count = 0;
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] == ignore) continue;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < v; i++) max = Math.max(max, logits.v[r * v + i]);
            double s = 0;
            for (int i = 0; i < v; i++) s += Math.exp(logits.v[r * v + i] - max);
            double lse = max + Math.log(s);
            double below = 0;
            for (int i = 0; i < v; i++) below += lse - logits.v[r * v + i];
            total += (1 - smoothing) * (lse - logits.v[r * v + labels[r]]) + smoothing * below / v;
            count++;
        }
        return new Ref(new double[] {count == 0 ? 0 : total / count});
    }

    static Ref concat(int axis, Ref... parts) {
        int ax = axis < 0 ? axis + parts[0].shape.length : axis;
        int[] shape = parts[0].shape.clone();
        shape[ax] = 0;
        for (Ref p : parts) shape[ax] += p.shape[ax];
        double[] out = new double[Shapes.size(shape)];
        int start = 0;
        for (Ref p : parts) {
            for (int f = 0; f < p.size(); f++) {
                int[] idx = unravel(f, p.shape);
                idx[ax] += start;
                out[ravel(idx, shape)] = p.v[f];
            }
            start += p.shape[ax];
        }
        return new Ref(out, shape);
    }

    static Ref slice(Ref a, int axis, int start, int end) {
        int ax = axis < 0 ? axis + a.shape.length : axis;
        int[] shape = a.shape.clone();
        shape[ax] = end - start;
        double[] out = new double[Shapes.size(shape)];
        for (int f = 0; f < out.length; f++) {
            int[] idx = unravel(f, shape);
            idx[ax] += start;
            out[f] = a.v[ravel(idx, a.shape)];
        }
        return new Ref(out, shape);
    }
}
