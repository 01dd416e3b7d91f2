package dev.resumo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        Path venv = venvDir();
        Path python = venv.resolve("bin").resolve("python");
        try {
            if (!Files.isExecutable(python) || exec(log, false, 60, python.toString(), "-c", "import numpy, threadpoolctl") != 0) {
                log.println("bench gemm: setting up the numpy venv at " + venv + " (once)...");
                String base = System.getenv().getOrDefault("RESUMO_PYTHON", "python3");
                if (exec(log, true, 300, base, "-m", "venv", venv.toString()) != 0) {
                    return failed("'" + base + " -m venv " + venv + "' failed (is python3 with the venv module installed?)");
                }
                if (exec(log, true, 900, python.toString(), "-m", "pip", "install", "--quiet", "numpy", "threadpoolctl") != 0) {
                    return failed("'pip install numpy threadpoolctl' into " + venv + " failed (no network to PyPI?)");
                }
            }
            Path script = venv.resolve("numpy_gemm.py");
            try (InputStream in = NumpyGemm.class.getResourceAsStream("numpy_gemm.py")) {
                if (in == null) return failed("numpy_gemm.py is missing from the jar");
                Files.write(script, in.readAllBytes());
            }
            List<String> specs = new ArrayList<>();
            for (GemmShape s : shapes) specs.add(key(s));
            ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString(),
                    "--shapes", String.join(",", specs), "--repeats", Integer.toString(repeats));
            Map<String, String> env = pb.environment();
            env.remove("OPENBLAS_CORETYPE");
            env.remove("OPENBLAS_L2_SIZE");
            for (String v : List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")) {
                env.put(v, Integer.toString(threads));
            }
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return failed("numpy_gemm.py exited with status " + (p.isAlive() ? "timeout" : p.exitValue()));
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return failed("could not run Python (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
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

    private static int exec(PrintStream log, boolean showOutput, int timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (showOutput && p.exitValue() != 0) log.print(new String(out, StandardCharsets.UTF_8));
        return p.exitValue();
    }
}
