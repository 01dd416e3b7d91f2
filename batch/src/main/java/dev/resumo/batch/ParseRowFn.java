package dev.resumo.batch;

import dev.resumo.t5.JsonLine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A JSON line → {@link InputRow}; rows that are not JSON objects, lack the id, or lack a
 * non-blank text go to the dead letters with the reason and the line as read.
 */
final class ParseRowFn extends DoFn<String, InputRow> {
    static final TupleTag<InputRow> ROWS = new TupleTag<>() {};
    static final TupleTag<String> DEAD = new TupleTag<>() {};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String idColumn;
    private final String textColumn;

    ParseRowFn(String idColumn, String textColumn) {
        this.idColumn = idColumn;
        this.textColumn = textColumn;
    }

    @ProcessElement
    public void process(@Element String line, MultiOutputReceiver out) {
        if (line.isBlank()) return; // blank lines carry no row
        BatchCounts.ROWS.inc();
        if (line.indexOf('\uFFFD') >= 0) {
            // Beam's TextIO decodes bytes that are not UTF-8 to U+FFFD; summarizing them would turn a
            // corrupt row into a plausible-looking summary (summarize, score and tokenize refuse such input).
            dead(out, deadLetter(null, line, "invalid UTF-8 in the line (read as U+FFFD replacement characters; a literal"
                    + " U+FFFD must be written as the JSON escape \\ufffd)"));
            return;
        }
        JsonNode row;
        try {
            row = JsonLine.parse(line);
        } catch (Exception e) {
            dead(out, deadLetter(null, line, "not valid JSON: " + e.getMessage().lines().findFirst().orElse("")));
            return;
        }
        if (row == null || !row.isObject()) {
            dead(out, deadLetter(null, line, "not a JSON object"));
            return;
        }
        JsonNode id = row.get(idColumn);
        if (id == null || id.isNull() || id.isContainerNode() || id.asText().isEmpty()) {
            dead(out, deadLetter(null, line, "no \"" + idColumn + "\" (the id column)"));
            return;
        }
        JsonNode text = row.get(textColumn);
        if (text == null || !text.isTextual()) {
            dead(out, deadLetter(id.toString(), line, textReason(textColumn, "is missing or not a string")));
            return;
        }
        if (dev.resumo.t5.BlankText.isBlank(text.textValue())) {
            dead(out, deadLetter(id.toString(), line, textReason(textColumn, "is blank")));
            return;
        }
        out.get(ROWS).output(new InputRow(id.toString(), text.textValue()));
    }

    private static void dead(MultiOutputReceiver out, String letter) {
        BatchCounts.DEAD_LETTERS.inc();
        out.get(DEAD).output(letter);
    }

    /** A dead letter's reason about the id column: {@code "ID" (the id column) WHAT}, the wording of every input format. */
    static String idReason(String idColumn, String what) {
        return "\"" + idColumn + "\" (the id column) " + what;
    }

    /** A dead letter's reason about the text column: {@code "TEXT" (the text column) WHAT}. */
    static String textReason(String textColumn, String what) {
        return "\"" + textColumn + "\" (the text column) " + what;
    }

    /** A dead letter; {@code idJson} is the row's id as JSON (its type kept), null when it has none. */
    static String deadLetter(String idJson, String input, String reason) {
        ObjectNode n = JSON.createObjectNode();
        if (idJson != null) n.set("id", idNode(idJson));
        n.put("reason", reason);
        n.put("input", input);
        return n.toString();
    }

    /** The id value back from its JSON (a string or a number; parse() only ever stores those). */
    static JsonNode idNode(String idJson) {
        try {
            return JSON.readTree(idJson);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalStateException("an id kept as JSON does not parse: " + idJson, e);
        }
    }
}
