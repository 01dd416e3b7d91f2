package dev.resumo.train.rouge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resumo.train.data.DataFileException;
import dev.resumo.train.data.JsonLinesFile;
import dev.resumo.train.data.JsonLinesFile.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predictions paired with references from two JSON-lines files: by "id" when the rows of both
 * files carry one, else by position. Anything that would silently drop or misalign a pair
 * (a missing or repeated id, ids in one file only, different row counts) is an error.
 */
public record SummaryPairs(List<String> ids, List<String> predictions, List<String> references) {
    public static SummaryPairs read(Path predictionsFile, Path referencesFile, String field) {
        return read(predictionsFile, referencesFile, field, field);
    }

    /**
     * As above with the summary text in {@code field} of predictions and {@code referenceField} of
     * references: one file can then serve as both, as the {"id", "summary", "reference"} lines
     * `resumo eval --predictions` writes.
     */
    public static SummaryPairs read(Path predictionsFile, Path referencesFile, String field, String referenceField) {
        List<Row> predictions = JsonLinesFile.read(predictionsFile, "predictions");
        List<Row> references = JsonLinesFile.read(referencesFile, "references");
        boolean predictionIds = predictions.getFirst().has("id");
        boolean referenceIds = references.getFirst().has("id");
        if (predictionIds != referenceIds) {
            // Pairing by line here would score rows against the wrong references whenever the order differs.
            Row withId = predictionIds ? predictions.getFirst() : references.getFirst();
            Row without = predictionIds ? references.getFirst() : predictions.getFirst();
            throw new DataFileException((predictionIds ? "predictions " : "references ") + withId.file() + " has \"id\" fields but "
                    + (predictionIds ? "references " : "predictions ") + without.file() + " does not (" + without.where()
                    + "): add the ids to both files to pair by id, or remove them from both to pair by line");
        }
        boolean byId = predictionIds;
        return byId ? pairById(predictions, references, field, referenceField)
                : pairByLine(predictions, references, field, referenceField);
    }

    private static SummaryPairs pairByLine(List<Row> predictions, List<Row> references, String field, String referenceField) {
        if (predictions.size() != references.size()) {
            throw new DataFileException("predictions " + predictions.getFirst().file() + " has " + predictions.size()
                    + " rows but references " + references.getFirst().file() + " has " + references.size()
                    + " (without \"id\" on both sides, rows are paired by position)");
        }
        List<String> ids = new ArrayList<>();
        List<String> p = new ArrayList<>();
        List<String> r = new ArrayList<>();
        for (int i = 0; i < predictions.size(); i++) {
            ids.add(String.valueOf(i + 1));
            p.add(predictions.get(i).text(field));
            r.add(references.get(i).text(referenceField));
        }
        return new SummaryPairs(ids, p, r);
    }

    private static SummaryPairs pairById(List<Row> predictions, List<Row> references, String field, String referenceField) {
        Map<String, Row> referenceById = index(references);
        Map<String, Row> predictionById = index(predictions);
        List<String> ids = new ArrayList<>();
        List<String> p = new ArrayList<>();
        List<String> r = new ArrayList<>();
        for (Map.Entry<String, Row> e : predictionById.entrySet()) {
            Row reference = referenceById.get(e.getKey());
            if (reference == null) {
                throw new DataFileException(e.getValue().where() + ": id \"" + e.getKey() + "\" has no row in references "
                        + references.getFirst().file());
            }
            ids.add(e.getKey());
            p.add(e.getValue().text(field));
            r.add(reference.text(referenceField));
        }
        for (Map.Entry<String, Row> e : referenceById.entrySet()) {
            if (!predictionById.containsKey(e.getKey())) {
                throw new DataFileException(e.getValue().where() + ": id \"" + e.getKey() + "\" has no row in predictions "
                        + predictions.getFirst().file());
            }
        }
        return new SummaryPairs(ids, p, r);
    }

    private static Map<String, Row> index(List<Row> rows) {
        Map<String, Row> byId = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (Row row : rows) {
            if (!row.has("id")) {
                throw new DataFileException(row.where() + ": no \"id\" field (the first row has one, so rows are paired by id)");
            }
            JsonNode idValue = row.value().get("id");
            // asText() of an array or object is "": every such row had the id "" and the second was "a repeat".
            if (idValue.isContainerNode()) {
                throw new DataFileException(row.where() + ": \"id\" is " + (idValue.isArray() ? "an array" : "an object")
                        + ", not a string or number");
            }
            String id = idValue.asText();
            Integer earlier = firstLine.putIfAbsent(id, row.line());
            if (earlier != null) {
                throw new DataFileException(row.where() + ": id \"" + id + "\" repeats line " + earlier);
            }
            byId.put(id, row);
        }
        return byId;
    }
}
