package dev.resumo.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.bench.PythonSide;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The optional CTranslate2 column ({@code bench compare --ctranslate2}): runs bench_compare_ct2.py
 * (a resource of this module) in the PyTorch column's venv, installing {@code ctranslate2} there on
 * first use. Generation workloads only, fp32, the same checkpoint (converted once beside it) and
 * thread count.
 */
public final class CtranslateSide {
    private CtranslateSide() {}

    /** {@code python}: an existing interpreter with ctranslate2 (used instead of the venv) or null. */
    public static TorchSide.Outcome measure(Path venv, Path python, Path modelDir, int threads, int repeats,
                                            List<String> workloads, PrintStream log) {
        try {
            python = python(venv, python, "bench compare --ctranslate2", log);
            String out = PythonSide.runScript(python, CtranslateSide.class, "bench_compare_ct2.py",
                    List.of("bench_compare_common.py"),
                    List.of("--model", modelDir.toString(), "--threads", Integer.toString(threads), "--repeats",
                            Integer.toString(repeats), "--workloads", String.join(",", workloads)),
                    Map.of("OMP_NUM_THREADS", Integer.toString(threads)), 60);
            return parse(out);
        } catch (PythonSide.Unavailable e) {
            return TorchSide.failed(e.getMessage());
        } catch (IOException e) {
            return TorchSide.failed("bench_compare_ct2.py printed no readable JSON (" + e.getMessage() + ")");
        }
    }

    /**
     * The Python CTranslate2's side runs: {@code python} checked for ctranslate2 and what its
     * converter imports (its errors start with {@code who}), else the venv, made on first use.
     */
    public static Path python(Path venv, Path python, String who, PrintStream log) throws PythonSide.Unavailable {
        return python != null ? PythonSide.existing(python, "ctranslate2, transformers, tokenizers, torch", who, log)
                : PythonSide.ensureVenv(venv, "ctranslate2, transformers, tokenizers, torch",
                        List.of("ctranslate2", "torch", "transformers", "safetensors", "sentencepiece"),
                        "bench compare --ctranslate2", log);
    }

    /** Reads the JSON the script prints. */
    static TorchSide.Outcome parse(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        String versions = "ctranslate2 " + root.path("ctranslate2").asText("?") + ", " + root.path("threads").asText("?")
                + " threads, fp32";
        return new TorchSide.Outcome(TorchSide.results(root), versions, null);
    }
}
