package dev.resumo.cli;

import dev.resumo.t5.JsonLine;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.tokenizer.TokenizerException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** `resumo detokenize`: ids back to text, {"ids": [...]} lines to {"text": ...} lines. */
final class DetokenizeCommand implements Subcommand {
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String name() {
        return "detokenize";
    }

    @Override
    public String summary() {
        return "turn token ids back into text: {\"ids\": [...]} lines to {\"text\": ...} lines";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(TokenizerOptions.tokenizer())
                .addOption(TokenizerOptions.input("each with an \"ids\" array"))
                .addOption(Option.builder().longOpt("ids").hasArg().argName("LIST").desc("comma-separated ids to decode instead of --input (default: none)").get())
                .addOption(TokenizerOptions.replaceInvalid("--input"))
                .addOption(TokenizerOptions.output())
                .addOption(TokenizerOptions.force());
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        if (line.hasOption("ids") == line.hasOption("input")) throw new UserError("give exactly one of --ids and --input");
        try (OutputSink sink = OutputSink.prepare(line, "output", out, "input")) {
            write(line, TokenizerOptions.load(line), sink);
            sink.commit();
        }
        return 0;
    }

    private void write(CommandLine line, T5Tokenizer tok, OutputSink sink) throws Exception {
        PrintStream w = sink.stream();
        if (line.hasOption("ids")) {
            write(w, decode(tok, TokenIds.parseList(line.getOptionValue("ids"), tok.vocabSize()), "--ids"));
        } else {
            Path file = Path.of(line.getOptionValue("input"));
            try (Utf8LineReader in = new Utf8LineReader(file, line.hasOption("replace-invalid"))) {
                for (String s; (s = in.next()) != null; ) {
                    if (s.isBlank()) continue;
                    String where = file + " line " + in.lineNumber();
                    write(w, decode(tok, idsOf(s, where, tok.vocabSize()), where));
                }
            }
        }
    }

    private static String decode(T5Tokenizer tok, int[] ids, String where) {
        try {
            return tok.decode(ids);
        } catch (TokenizerException e) {
            throw new UserError(where + ": " + e.getMessage());
        }
    }

    private int[] idsOf(String line, String where, int vocabSize) {
        JsonNode row;
        try {
            row = JsonLine.parse(line);
        } catch (JacksonException e) {
            throw new UserError(where + ": not valid JSON (" + dev.resumo.t5.JsonErrors.reason(e) + ")");
        }
        JsonNode ids = row == null ? null : row.get("ids");
        if (ids == null || !ids.isArray()) throw new UserError(where + ": no \"ids\" array");
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) out[i] = TokenIds.element(ids.get(i), i, vocabSize, where);
        return out;
    }

    private void write(PrintStream w, String text) throws Exception {
        w.print(json.writeValueAsString(Map.of("text", text)));
        w.print('\n');
    }
}
