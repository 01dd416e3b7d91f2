package dev.resumo.engine.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads optim_reference.json (made by weights-tools/make_optim_reference.py). */
final class OptimReference {
    final JsonNode root;

    private OptimReference(JsonNode root) { this.root = root; }

    static OptimReference load() throws IOException {
        try (InputStream in = OptimReference.class.getResourceAsStream("/optim/optim_reference.json")) {
            if (in == null) throw new IllegalStateException("optim/optim_reference.json missing from test resources");
            return new OptimReference(new ObjectMapper().readTree(in));
        }
    }

    int steps() { return root.get("grads").size(); }

    int[] shape(String name) {
        JsonNode s = root.get("shapes").get(name);
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) out[i] = s.get(i).asInt();
        return out;
    }

    /** Fresh copies of the initial parameters, in file order. */
    Map<String, Tensor> initialParams() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Iterator<String> it = root.get("init").fieldNames(); it.hasNext(); ) {
            String k = it.next();
            m.put(k, Tensor.of(floats(root.get("init").get(k)), shape(k)));
        }
        return m;
    }

    /** Gradients of step {@code step} (0-based), by parameter name. */
    Map<String, Tensor> grads(int step) { return tensors(root.get("grads").get(step)); }

    /** Expected parameters after step {@code step} (0-based) of a case. */
    Map<String, float[]> after(String caseName, int step) {
        JsonNode n = root.get("cases").get(caseName).get(step);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            m.put(k, floats(n.get(k)));
        }
        return m;
    }

    Map<String, Tensor> tensors(JsonNode n) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            m.put(k, Tensor.of(floats(n.get(k)), shape(k)));
        }
        return m;
    }

    static float[] floats(JsonNode arr) {
        float[] out = new float[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) arr.get(i).asDouble();
        return out;
    }

    static double relativeL2(float[] actual, float[] expected) {
        double num = 0, den = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) actual[i] - expected[i];
            num += d * d;
            den += (double) expected[i] * expected[i];
        }
        return Math.sqrt(num / Math.max(den, 1e-300));
    }
}
