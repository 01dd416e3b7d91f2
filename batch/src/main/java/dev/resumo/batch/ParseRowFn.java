package dev.resumo.batch;

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
        JsonNode row;
        try {
            row = JSON.readTree(line);
        } catch (Exception e) {
            out.get(DEAD).output(deadLetter(null, line, "not valid JSON: " + e.getMessage().lines().findFirst().orElse("")));
            return;
        }
        if (row == null || !row.isObject()) {
            out.get(DEAD).output(deadLetter(null, line, "not a JSON object"));
            return;
        }
        JsonNode id = row.get(idColumn);
        if (id == null || id.isNull() || id.isContainerNode() || id.asText().isEmpty()) {
            out.get(DEAD).output(deadLetter(null, line, "no \"" + idColumn + "\" (the id column)"));
            return;
        }
        JsonNode text = row.get(textColumn);
        if (text == null || !text.isTextual()) {
            out.get(DEAD).output(deadLetter(id.asText(), line, "\"" + textColumn + "\" (the text column) is missing or not a string"));
            return;
        }
        if (text.textValue().isBlank()) {
            out.get(DEAD).output(deadLetter(id.asText(), line, "\"" + textColumn + "\" (the text column) is blank"));
            return;
        }
        out.get(ROWS).output(new InputRow(id.asText(), text.textValue()));
    }

    static String deadLetter(String id, String input, String reason) {
        ObjectNode n = JSON.createObjectNode();
        if (id != null) n.put("id", id);
        n.put("reason", reason);
        n.put("input", input);
        return n.toString();
    }
}
