package dev.resumo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the Python {@code sentencepiece} package (the C++ library) on the same texts, in a virtual
 * environment it creates on first use ({@code python3 -m venv}, {@code pip install sentencepiece}).
 * For benchmarks only: nothing in Resumo needs Python to run.
 */
public final class SentencePieceSideBySide {
    private static final String SCRIPT = "bench_sentencepiece.py";

    private SentencePieceSideBySide() {}

    /** What the Python side measured. */
    public record Result(double megabytesPerSecond, int passes, double seconds, String version) {}

    public static Result measure(Path venv, Path model, List<String> texts, double seconds) throws PythonSide.Unavailable {
        Path python = PythonSide.ensureVenv(venv, "sentencepiece", List.of("sentencepiece"), "bench tokenizer", System.err);
        try {
            Path textsFile = Files.createTempFile("resumo-bench-spm", ".json");
            ObjectMapper json = new ObjectMapper();
            try {
                json.writeValue(textsFile.toFile(), texts);
                String out = PythonSide.runScript(python, SentencePieceSideBySide.class, SCRIPT,
                        List.of(model.toString(), textsFile.toString(), Double.toString(seconds)), Map.of(), 30);
                JsonNode r = json.readTree(out.substring(out.lastIndexOf('{')));
                return new Result(r.get("mb_per_s").asDouble(), r.get("passes").asInt(), r.get("seconds").asDouble(),
                        r.get("version").asText());
            } finally {
                Files.deleteIfExists(textsFile);
            }
        } catch (IOException | RuntimeException e) {
            throw new PythonSide.Unavailable("the sentencepiece benchmark failed: " + e.getMessage());
        }
    }
}
