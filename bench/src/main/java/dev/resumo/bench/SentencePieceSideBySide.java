package dev.resumo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    /** Thrown when Python, the venv or the package cannot be set up; the message says what to do. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message);
        }
    }

    public static Result measure(Path venv, Path model, List<String> texts, double seconds) throws Unavailable {
        Path python = ensureVenv(venv);
        try {
            Path dir = Files.createTempDirectory("resumo-bench-spm");
            Path script = dir.resolve(SCRIPT);
            try (InputStream in = SentencePieceSideBySide.class.getResourceAsStream(SCRIPT)) {
                if (in == null) throw new Unavailable("the benchmark script " + SCRIPT + " is missing from the jar");
                Files.copy(in, script);
            }
            Path textsFile = dir.resolve("texts.json");
            ObjectMapper json = new ObjectMapper();
            json.writeValue(textsFile.toFile(), texts);
            String out = run(List.of(python.toString(), script.toString(), model.toString(), textsFile.toString(),
                    Double.toString(seconds)), "the sentencepiece benchmark");
            JsonNode r = json.readTree(out.substring(out.lastIndexOf('{')));
            Files.delete(script);
            Files.delete(textsFile);
            Files.delete(dir);
            return new Result(r.get("mb_per_s").asDouble(), r.get("passes").asInt(), r.get("seconds").asDouble(),
                    r.get("version").asText());
        } catch (IOException e) {
            throw new Unavailable("the sentencepiece benchmark failed: " + e.getMessage());
        }
    }

    private static Path ensureVenv(Path venv) throws Unavailable {
        Path python = venv.resolve("bin").resolve("python");
        if (!Files.isExecutable(python)) {
            run(List.of("python3", "-m", "venv", venv.toString()), "creating the virtual environment " + venv);
        }
        try {
            run(List.of(python.toString(), "-c", "import sentencepiece"), "checking for sentencepiece");
        } catch (Unavailable missing) {
            run(List.of(python.toString(), "-m", "pip", "install", "-q", "sentencepiece"),
                    "installing sentencepiece into " + venv);
        }
        return python;
    }

    private static String run(List<String> command, String what) throws Unavailable {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            if (code != 0) {
                String tail = out.length() > 400 ? out.substring(out.length() - 400) : out;
                throw new Unavailable(what + " failed (exit " + code + "): " + tail.strip());
            }
            return out;
        } catch (IOException e) {
            throw new Unavailable(what + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(what + " was interrupted");
        }
    }
}
