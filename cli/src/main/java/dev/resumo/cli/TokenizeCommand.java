package dev.resumo.cli;

import dev.resumo.t5.JsonLine;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.tokenizer.T5Tokenizer;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** `resumo tokenize`: text to ids and pieces, one JSON line per input text. */
final class TokenizeCommand implements Subcommand {
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String summary() {
        return "turn text into token ids and pieces: {\"ids\": [...], \"pieces\": [...]} per line";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(TokenizerOptions.tokenizer())
                .addOption(Option.builder().longOpt("text").hasArg().argName("S").desc("one text to encode (default: none)").get())
                .addOption(TokenizerOptions.input("one object per line; the text is in --field"))
                .addOption(Option.builder().longOpt("field").hasArg().argName("NAME").desc("field of --input that holds the text (default: text)").get())
                .addOption(Option.builder().longOpt("no-eos").desc("do not append </s> (default: append it)").get())
                .addOption(TokenizerOptions.replaceInvalid("--input or --text"))
                .addOption(TokenizerOptions.output())
                .addOption(TokenizerOptions.force());
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
        if (line.hasOption("text") == line.hasOption("input")) throw new UserError("give exactly one of --text and --input");
        // As summarize refuses --text-column with --text: the flag was ignored without a word, and a
        // user who wrote it expected it to pick something.
        if (line.hasOption("text") && line.hasOption("field")) {
            throw new UserError("--field names a field of --input rows; it does nothing with --text");
        }
        try (OutputSink sink = OutputSink.prepare(line, "output", out, "input")) {
            write(line, TokenizerOptions.load(line), sink);
            sink.commit();
        }
        return 0;
    }

    private void write(CommandLine line, T5Tokenizer tok, OutputSink sink) throws Exception {
        boolean eos = !line.hasOption("no-eos");
        PrintStream w = sink.stream();
        if (line.hasOption("text")) {
            write(w, tok, CommandLineChecks.text(line), eos);
        } else {
            Path file = Path.of(line.getOptionValue("input"));
            String field = line.getOptionValue("field", "text");
            try (Utf8LineReader in = new Utf8LineReader(file, line.hasOption("replace-invalid"))) {
                for (String s; (s = in.next()) != null; ) {
                    if (s.isBlank()) continue;
                    write(w, tok, textOf(s, field, file, in.lineNumber()), eos);
                }
            }
        }
    }

    private String textOf(String line, String field, Path file, int lineNumber) {
        JsonNode row;
        try {
            row = JsonLine.parse(line);
        } catch (JacksonException e) {
            throw new UserError(file + " line " + lineNumber + ": not valid JSON (" + dev.resumo.t5.JsonErrors.reason(e) + ")");
        }
        JsonNode value = row == null ? null : row.get(field);
        if (value == null || !value.isTextual()) {
            throw new UserError(file + " line " + lineNumber + ": no string field \"" + field + "\" (choose it with --field)");
        }
        return value.asText();
    }

    private void write(PrintStream w, T5Tokenizer tok, String text, boolean eos) throws Exception {
        int[] ids = tok.encode(text, eos);
        ObjectNode row = json.createObjectNode();
        var idArray = row.putArray("ids");
        for (int id : ids) idArray.add(id);
        var pieceArray = row.putArray("pieces");
        for (String p : tok.pieces(ids)) pieceArray.add(p);
        w.print(json.writeValueAsString(row));
        w.print('\n');
    }
}
