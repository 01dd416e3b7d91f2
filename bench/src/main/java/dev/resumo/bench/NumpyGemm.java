package dev.resumo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * numpy's GEMM at the same shapes, for the side-by-side column: runs numpy_gemm.py (a resource of
 * this module) with the Python of a venv it creates on first use ({@code python3 -m venv} +
 * {@code pip install numpy threadpoolctl}). The BLAS runs with the given thread count and with
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset, so it picks its own kernel for this CPU.
 */
public final class NumpyGemm {
    /** numpy's figures (key {@link #key}: median and best GFLOP/s), the BLAS it used, or why there are none. */
    public record Outcome(Map<String, double[]> gflops, String blas, String note) {
        public boolean ok() {
            return note == null;
        }
    }

    private NumpyGemm() {}

    public static String key(GemmShape s) {
        return s.dims() + ":" + s.layout();
    }

    /** The venv: $RESUMO_NUMPY_VENV, else ~/.cache/resumo/numpy-venv. */
    public static Path venvDir() {
        String env = System.getenv("RESUMO_NUMPY_VENV");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "resumo", "numpy-venv");
    }

    /** Measures; progress of the venv set-up goes to {@code log}. Never throws for a missing Python. */
    public static Outcome run(List<GemmShape> shapes, int threads, int repeats, PrintStream log) {
        List<String> specs = new ArrayList<>();
        for (GemmShape s : shapes) specs.add(key(s));
        Map<String, String> env = new HashMap<>();
        for (String v : List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")) env.put(v, Integer.toString(threads));
        try {
            Path python = PythonSide.ensureVenv(venvDir(), "numpy, threadpoolctl", List.of("numpy", "threadpoolctl"), "bench gemm", log);
            return parse(PythonSide.runScript(python, NumpyGemm.class, "numpy_gemm.py",
                    List.of("--shapes", String.join(",", specs), "--repeats", Integer.toString(repeats)), env, 30));
        } catch (PythonSide.Unavailable e) {
            return failed(e.getMessage());
        } catch (IOException e) {
            return failed("numpy_gemm.py printed no readable JSON (" + e.getMessage() + ")");
        }
    }

    /** Reads the JSON the script prints. */
    static Outcome parse(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        Map<String, double[]> gflops = new HashMap<>();
        for (JsonNode r : root.path("results")) {
            gflops.put(r.path("shape").asText() + ":" + r.path("layout").asText(),
                    new double[] {r.path("gflops_median").asDouble(), r.path("gflops_best").asDouble()});
        }
        List<String> libs = new ArrayList<>();
        for (JsonNode lib : root.path("blas")) {
            libs.add(lib.path("internal_api").asText("?") + " " + lib.path("version").asText("?")
                    + " kernel " + lib.path("architecture").asText("?") + ", " + lib.path("num_threads").asText("?")
                    + " threads (" + lib.path("threading_layer").asText("?") + ")");
        }
        String blas = "numpy " + root.path("numpy").asText("?") + " with " + (libs.isEmpty() ? "no BLAS reported" : String.join("; ", libs));
        return new Outcome(gflops, blas, null);
    }

    private static Outcome failed(String why) {
        return new Outcome(Map.of(), null, why);
    }
}
