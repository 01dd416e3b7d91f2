package dev.resumo.t5;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One line of a JSON-lines file as one JSON value. {@code ObjectMapper.readTree} stops after the
 * first value and ignores whatever follows it, so a line holding two rows ({@code {...} {...}}, or
 * a file whose rows end in a lone CR) lost every row after the first without a word; here anything
 * after the value is a parse error like any other.
 */
public final class JsonLine {
    /**
     * Without Jackson's 20M-character cap on one string: a longer text (a book to summarize) is valid
     * JSON that Python's json, pandas and datasets read, and was rejected as "bad JSON" (CSV has no cap).
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build()).build());

    private JsonLine() {}

    /** The line's value (null for a line with no JSON token); text after it is a {@link JsonParseException}. */
    public static JsonNode parse(String line) throws JsonProcessingException {
        try (JsonParser p = JSON.createParser(line)) {
            JsonNode node = JSON.readTree(p);
            if (node != null && p.nextToken() != null) {
                throw new JsonParseException(p, "text after the JSON value at column " + p.currentTokenLocation().getColumnNr()
                        + " (one row per line: are two rows on one line?)");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from a string", e); // a String source does no I/O
        }
    }
}
