package dev.resumo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.bench.SentencePieceSideBySide;
import dev.resumo.bench.TokenizerThroughput;
import dev.resumo.tokenizer.SentencePieceProcessor;
import dev.resumo.tokenizer.T5Tokenizer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * `resumo bench tokenizer`: encode throughput (UTF-8 MB/s, one thread) of the Java tokenizer on the
 * TeMário texts, and of the Python sentencepiece package (C++) on the same texts in the same run.
 */
final class BenchTokenizerCommand implements Subcommand {
    @Override
    public String name() {
        return "bench tokenizer";
    }

    @Override
    public String summary() {
        return "tokenizer encode MB/s on TeMário: Java vs the sentencepiece C++ library";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("shared").hasArg().argName("DIR")
                        .desc("the shared reference folder (default: $RESUMO_SHARED, else ../shared)").get())
                .addOption(Option.builder().longOpt("tokenizer").hasArg().argName("PATH")
                        .desc("tokenizer to measure (default: SHARED/models/ptt5-portuguese-vocab/spiece.model)").get())
                .addOption(Option.builder().longOpt("data").hasArg().argName("FILE")
                        .desc("JSON lines whose \"text\" fields are encoded (default: SHARED/data/temario/temario.jsonl)").get())
                .addOption(Option.builder().longOpt("seconds").hasArg().argName("S")
                        .desc("measuring time per encoder, after as long again of warm-up (default: 5)").get())
                .addOption(Option.builder().longOpt("venv").hasArg().argName("DIR")
                        .desc("Python virtual environment for sentencepiece, created if missing (default: .venv)").get())
                .addOption(Option.builder().longOpt("replace-invalid")
                        .desc("read invalid UTF-8 in --data as U+FFFD instead of stopping at it (default: off)").get())
                .addOption(Option.builder().longOpt("skip-python").desc("measure Java only (default: off)").get());
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        String sharedDefault = System.getenv().getOrDefault("RESUMO_SHARED", "../shared");
        Path shared = Path.of(line.getOptionValue("shared", sharedDefault));
        Path model = Path.of(line.getOptionValue("tokenizer", shared.resolve("models/ptt5-portuguese-vocab/spiece.model").toString()));
        Path data = Path.of(line.getOptionValue("data", shared.resolve("data/temario/temario.jsonl").toString()));
        double seconds = parseSeconds(line.getOptionValue("seconds", "5"));
        if (Files.isDirectory(data)) throw new UserError("data file " + data + " is a directory, not a file (set --data or --shared)");
        if (!Files.isRegularFile(data)) throw new UserError("data file " + data + " does not exist (set --data or --shared)");
        // The Python side's own mistakes, before the Java side has measured for 4 × --seconds (they were found after).
        Path venv = Path.of(line.getOptionValue("venv", ".venv"));
        if (!line.hasOption("skip-python")) {
            if (!model.getFileName().toString().endsWith(".model")) {
                throw new UserError("the sentencepiece side needs a .model file; " + model + " is not one (or pass --skip-python)");
            }
            if (Files.exists(venv) && !Files.isDirectory(venv)) {
                throw new UserError("--venv " + venv + " is a file, not a virtual environment folder (or pass --skip-python)");
            }
        }
        T5Tokenizer tok = TokenizerOptions.load(model);
        List<String> texts = readTexts(data, line.hasOption("replace-invalid"));
        long bytes = TokenizerThroughput.utf8Bytes(texts);
        out.printf("texts: %d from %s, %.3f MB UTF-8 per pass; tokenizer %s%n", texts.size(), data, bytes / 1e6, model);
        out.printf("java %s, %d processors; one thread per encoder; MB/s per second of CPU time%n", Runtime.version(), Runtime.getRuntime().availableProcessors());

        TokenizerThroughput.Result t5 = TokenizerThroughput.measure(texts, tok::encode, seconds, seconds);
        out.printf("%-44s %8.2f MB/s  (%d passes in %.1f s CPU)%n", "Java T5Tokenizer.encode (HF T5 pipeline)", t5.megabytesPerSecond(), t5.passes(), t5.seconds());
        SentencePieceProcessor spm = tok.sentencePiece();
        TokenizerThroughput.Result plain = TokenizerThroughput.measure(texts, spm::encode, seconds, seconds);
        out.printf("%-44s %8.2f MB/s  (%d passes in %.1f s CPU)%n", "Java SentencePieceProcessor.encode", plain.megabytesPerSecond(), plain.passes(), plain.seconds());
        if (line.hasOption("skip-python")) return 0;
        try {
            SentencePieceSideBySide.Result py = SentencePieceSideBySide.measure(
                    venv, model, texts, seconds);
            out.printf("%-44s %8.2f MB/s  (%d passes in %.1f s CPU)%n", "Python sentencepiece " + py.version() + " (C++)",
                    py.megabytesPerSecond(), py.passes(), py.seconds());
            out.printf("ratio Java/sentencepiece: T5Tokenizer %.2fx, SentencePieceProcessor %.2fx%n",
                    t5.megabytesPerSecond() / py.megabytesPerSecond(), plain.megabytesPerSecond() / py.megabytesPerSecond());
        } catch (dev.resumo.bench.PythonSide.Unavailable e) {
            throw new UserError(e.getMessage() + " (or pass --skip-python)");
        }
        return 0;
    }

    private static double parseSeconds(String s) {
        try {
            double v = Double.parseDouble(s);
            if (v > 0 && v <= 600) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("--seconds must be a number of seconds in (0, 600], got '" + s + "'");
    }

    /** replaceInvalid: the invalid-UTF-8 error suggests --replace-invalid, so this command has it too. */
    private static List<String> readTexts(Path data, boolean replaceInvalid) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        try (Utf8LineReader in = new Utf8LineReader(data, replaceInvalid)) {
            for (String s; (s = in.next()) != null; ) {
                if (s.isBlank()) continue;
                JsonNode row;
                try {
                    row = json.readTree(s);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new UserError(data + " line " + in.lineNumber() + ": not valid JSON (" + dev.resumo.t5.JsonErrors.reason(e) + ")");
                }
                JsonNode text = row.get("text");
                if (text == null || !text.isTextual()) throw new UserError(data + " line " + in.lineNumber() + ": no string field \"text\"");
                texts.add(text.asText());
            }
        }
        if (texts.isEmpty()) throw new UserError(data + " holds no texts");
        return texts;
    }
}
