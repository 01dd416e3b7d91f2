package dev.resumo.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch column: runs bench_compare_torch.py (a resource of this module) with the Python of
 * a venv it creates on first use ({@code python3 -m venv} + {@code pip install torch transformers
 * safetensors}; PyPI's Linux torch is the CUDA build, which runs on the CPU). OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE are removed from its environment; torch.set_num_threads gets the same thread count.
 */
public final class TorchSide {
    /** Median seconds, units, peak RSS MiB and best seconds per workload, the versions used, or why there are none. */
    public record Outcome(Map<String, double[]> results, String versions, String failure) {}

    private TorchSide() {}

    public static Outcome measure(Path venv, Path modelDir, int threads, int repeats, List<String> workloads,
                                  PrintStream log) {
        return measure(venv, modelDir, threads, repeats, workloads, "cpu", log);
    }

    /** As above, with PyTorch on {@code torchDevice} ("cpu" or "cuda": the GPU beside an OpenCL run). */
    public static Outcome measure(Path venv, Path modelDir, int threads, int repeats, List<String> workloads,
                                  String torchDevice, PrintStream log) {
        Path python = venv.resolve("bin").resolve("python");
        try {
            if (!Files.isExecutable(python) || exec(log, false, 120, python.toString(), "-c", "import torch, transformers") != 0) {
                log.println("bench compare: setting up the PyTorch venv at " + venv + " (once, downloads ~3 GB)...");
                if (exec(log, true, 300, "python3", "-m", "venv", venv.toString()) != 0) {
                    return failed("'python3 -m venv " + venv + "' failed (is python3 with the venv module installed?)");
                }
                if (exec(log, true, 3600, python.toString(), "-m", "pip", "install", "--quiet", "torch", "transformers",
                        "safetensors", "sentencepiece") != 0) {
                    return failed("'pip install torch transformers' into " + venv + " failed (no network to PyPI?)");
                }
            }
            Path script = venv.resolve("bench_compare_torch.py");
            try (InputStream in = TorchSide.class.getResourceAsStream("bench_compare_torch.py")) {
                if (in == null) return failed("bench_compare_torch.py is missing from the jar");
                Files.write(script, in.readAllBytes());
            }
            ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString(), "--model", modelDir.toString(),
                    "--threads", Integer.toString(threads), "--repeats", Integer.toString(repeats),
                    "--workloads", String.join(",", workloads), "--device", torchDevice);
            Map<String, String> env = pb.environment();
            env.remove("OPENBLAS_CORETYPE");
            env.remove("OPENBLAS_L2_SIZE");
            env.put("OMP_NUM_THREADS", Integer.toString(threads));
            env.put("TOKENIZERS_PARALLELISM", "false");
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return failed("bench_compare_torch.py exited with status " + (p.isAlive() ? "timeout" : p.exitValue()));
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
        Map<String, double[]> results = new LinkedHashMap<>();
        root.path("results").properties().forEach(e -> results.put(e.getKey(), new double[] {
                e.getValue().path("seconds").asDouble(), e.getValue().path("units").asDouble(),
                e.getValue().path("peak_rss_mib").asDouble(),
                e.getValue().path("best_seconds").asDouble(e.getValue().path("seconds").asDouble())}));
        String versions = "torch " + root.path("torch").asText("?") + ", transformers " + root.path("transformers").asText("?")
                + ", " + root.path("threads").asText("?") + " threads";
        return new Outcome(results, versions, null);
    }

    private static Outcome failed(String why) {
        return new Outcome(Map.of(), null, why);
    }

    private static int exec(PrintStream log, boolean showOutput, int timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (showOutput && p.exitValue() != 0) log.print(new String(out, StandardCharsets.UTF_8));
        return p.exitValue();
    }
}
