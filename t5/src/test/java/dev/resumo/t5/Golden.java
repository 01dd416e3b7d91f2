package dev.resumo.t5;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** The reference files of ../shared/golden (made by make_golden.py), read in place. */
public final class Golden {
    public static final String[] MODELS = {"t5-v1_0-tiny", "t5-v1_1-tiny"};

    private Golden() {}

    public static Path shared() {
        String prop = System.getProperty("resumo.shared");
        return prop == null ? null : Path.of(prop);
    }

    /** The golden directory of a tiny model; skips the test (with the reason) when it is absent. */
    public static Path model(String name) {
        Path shared = shared();
        Path dir = shared == null ? null : shared.resolve("golden").resolve(name);
        assumeTrue(dir != null && Files.isRegularFile(dir.resolve("model.safetensors")),
                "golden reference " + name + " not found under ../shared/golden (resumo.shared=" + shared + "): skipped");
        return dir;
    }

    /** The 4 padded inputs of a golden model's generate.safetensors (batch × length, row-major). */
    public record GenerationInputs(Path file, int[] ids, int[] mask, int batch, int length) {}

    /** {@link GenerationInputs} of the golden directory {@code dir} (from {@link #model}). */
    public static GenerationInputs generationInputs(Path dir) {
        Path file = dir.resolve("generate.safetensors");
        int[] shape = shape(file, "input_ids");
        return new GenerationInputs(file, ints(file, "input_ids"), ints(file, "attention_mask"), shape[0], shape[1]);
    }

    public static int[] ints(Path file, String name) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.loadInts(name);
        }
    }

    public static int[] shape(Path file, String name) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.load(name).shape();
        }
    }

    public static Tensor tensor(Path file, String name) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.load(name);
        }
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    /** ||a - b|| / ||b|| in double. */
    public static double relativeL2(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            num += d * d;
            den += (double) b[i] * b[i];
        }
        return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
    }
}
