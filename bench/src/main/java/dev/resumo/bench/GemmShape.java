package dev.resumo.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One GEMM to measure: C[M×N] = op(A)[M×K] · op(B)[K×N] in a layout ("NN" = A·B, "NT" = A·Bᵀ,
 * "TN" = Aᵀ·B, "TT" = Aᵀ·Bᵀ), written M×K×N as in "2048x512x512".
 */
public record GemmShape(int m, int k, int n, String layout) {
    /** The T5-small shapes: FFN and attention projections over 2048 tokens, and the lm_head. */
    public static final List<String> T5_SHAPES = List.of("2048x512x512", "2048x512x2048", "2048x2048x512", "512x512x32128");
    /** The layouts training uses: forward x·Wᵀ (NT), dX = dY·W (NN), dW = dYᵀ·X (TN). */
    public static final List<String> TRAINING_LAYOUTS = List.of("NN", "NT", "TN");

    public GemmShape {
        if (m < 1 || k < 1 || n < 1) throw new IllegalArgumentException("sizes must be >= 1: " + m + "x" + k + "x" + n);
        if (!List.of("NN", "NT", "TN", "TT").contains(layout)) {
            throw new IllegalArgumentException("layout must be NN, NT, TN or TT, got '" + layout + "'");
        }
    }

    public boolean transA() {
        return layout.charAt(0) == 'T';
    }

    public boolean transB() {
        return layout.charAt(1) == 'T';
    }

    public double flops() {
        return 2.0 * m * n * k;
    }

    /** "MxKxN", the way shapes are given on the command line. */
    public String dims() {
        return m + "x" + k + "x" + n;
    }

    /**
     * Parses "MxKxN" or "M×K×N" (every training layout) or "MxKxN:LAYOUT"; the message of the exception names
     * the bad piece.
     */
    public static List<GemmShape> parse(String spec) {
        String[] parts = spec.trim().split(":", -1);
        if (parts.length > 2) throw new IllegalArgumentException("shape '" + spec + "' has more than one ':'");
        String[] dims = parts[0].split("[x×]", -1); // the help writes M×K×N; both signs are accepted
        if (dims.length != 3) throw new IllegalArgumentException("shape '" + spec + "' is not M×K×N (× or x, e.g. 2048x512x512)");
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Integer.parseInt(dims[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("shape '" + spec + "': '" + dims[i] + "' is not a whole number");
            }
            if (v[i] < 1) throw new IllegalArgumentException("shape '" + spec + "': sizes must be >= 1");
        }
        if ((long) v[0] * v[1] > Integer.MAX_VALUE || (long) v[1] * v[2] > Integer.MAX_VALUE
                || (long) v[0] * v[2] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape '" + spec + "' has a matrix larger than 2^31 floats");
        }
        List<String> layouts = parts.length == 2 ? List.of(parts[1].trim().toUpperCase()) : TRAINING_LAYOUTS;
        List<GemmShape> out = new ArrayList<>();
        for (String layout : layouts) {
            try {
                out.add(new GemmShape(v[0], v[1], v[2], layout));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("shape '" + spec + "': " + e.getMessage());
            }
        }
        return out;
    }
}
