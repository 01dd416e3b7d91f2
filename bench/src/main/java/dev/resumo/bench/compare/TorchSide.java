package dev.resumo.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import dev.resumo.bench.PythonSide;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        return measure(venv, null, modelDir, threads, repeats, workloads, "cpu", log);
    }

    /**
     * As above, with PyTorch on {@code torchDevice} ("cpu" or "cuda": the GPU beside an OpenCL run),
     * and with {@code python} (an existing interpreter with torch and transformers) instead of the venv when not null.
     */
    public static Outcome measure(Path venv, Path python, Path modelDir, int threads, int repeats, List<String> workloads,
                                  String torchDevice, PrintStream log) {
        try {
            python = python(venv, python, "bench compare", log);
            String out = PythonSide.runScript(python, TorchSide.class, "bench_compare_torch.py",
                    List.of("bench_compare_common.py", "bench_compare_torch_workloads.py"),
                    List.of("--model", modelDir.toString(), "--threads", Integer.toString(threads), "--repeats",
                            Integer.toString(repeats), "--workloads", String.join(",", workloads), "--device", torchDevice),
                    Map.of("OMP_NUM_THREADS", Integer.toString(threads), "TOKENIZERS_PARALLELISM", "false"), 60);
            return parse(out);
        } catch (PythonSide.Unavailable e) {
            return failed(e.getMessage());
        } catch (IOException e) {
            return failed("bench_compare_torch.py printed no readable JSON (" + e.getMessage() + ")");
        }
    }

    /**
     * The Python PyTorch's side runs: {@code python} checked for torch and transformers (its errors
     * start with {@code who}), else the venv, made on first use.
     */
    public static Path python(Path venv, Path python, String who, PrintStream log) throws PythonSide.Unavailable {
        return python != null ? PythonSide.existing(python, "torch, transformers", who, log)
                : PythonSide.ensureVenv(venv, "torch, transformers",
                        List.of("torch", "transformers", "safetensors", "sentencepiece"), "bench compare (downloads ~3 GB)", log);
    }

    /** Reads the JSON the script prints. */
    static Outcome parse(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        String versions = "torch " + root.path("torch").asText("?") + ", transformers " + root.path("transformers").asText("?")
                + ", " + root.path("threads").asText("?") + " threads";
        return new Outcome(results(root), versions, null);
    }

    /** The "results" object both Python scripts print: median seconds, units, peak RSS MiB, best seconds. */
    static Map<String, double[]> results(JsonNode root) {
        Map<String, double[]> results = new LinkedHashMap<>();
        root.path("results").properties().forEach(e -> results.put(e.getKey(), new double[] {
                e.getValue().path("seconds").asDouble(), e.getValue().path("units").asDouble(),
                e.getValue().path("peak_rss_mib").asDouble(),
                e.getValue().path("best_seconds").asDouble(e.getValue().path("seconds").asDouble())}));
        return results;
    }

    static Outcome failed(String why) {
        return new Outcome(Map.of(), null, why);
    }
}
