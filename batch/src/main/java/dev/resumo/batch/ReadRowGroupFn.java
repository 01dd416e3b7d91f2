package dev.resumo.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.t5.BlankText;
import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.parquet.ParquetColumn;
import dev.resumo.train.data.parquet.ParquetFile;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * One Parquet row group → {@link InputRow}s, with {@link ParseRowFn}'s tags and counters: a row with
 * a null, empty or undecodable id, or a null, undecodable or blank text, goes to the dead letters
 * with the reason and, as its input, {@code FILE:N: {"id": ..., "text": ...}} — the row's place (N
 * counted from 1 over the whole file, as `resumo summarize --input` names Parquet rows) and its two
 * columns as read. The file is opened through Beam's FileSystems, so any filesystem on the
 * classpath (gs://, hdfs://, s3://) serves.
 */
final class ReadRowGroupFn extends DoFn<RowGroupRef, InputRow> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Numbers kept as written: a DECIMAL id 123.40 or 1234567890123456.78 read as a double would change (or collide). */
    private static final ObjectMapper EXACT_NUMBERS = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final String BAD_UTF8 = "is not valid UTF-8 (read as U+FFFD replacement characters)";

    private final String idColumn;
    private final String textColumn;

    ReadRowGroupFn(String idColumn, String textColumn) {
        this.idColumn = idColumn;
        this.textColumn = textColumn;
    }

    @ProcessElement
    public void process(@Element RowGroupRef ref, MultiOutputReceiver out) {
        String name = ref.file().toString();
        Map<String, ParquetColumn> group = readColumns(ref);
        ParquetColumn ids = group.get(idColumn), texts = group.get(textColumn);
        for (int r = 0; r < ids.rows(); r++) {
            BatchCounts.ROWS.inc();
            JsonNode id = idNode(ids.get(r), ids.holdsStrings());
            String text = texts.get(r);
            String idProblem = idProblem(ids, r);
            String problem = idProblem != null ? idProblem : textProblem(texts, r);
            if (problem == null) {
                out.get(ParseRowFn.ROWS).output(new InputRow(id.toString(), text));
                continue;
            }
            ObjectNode row = JSON.createObjectNode();
            row.set(idColumn, id);
            row.put(textColumn, text);
            String where = name + ":" + (ref.firstRow() + r + 1) + ": " + row;
            String idJson = idProblem == null ? id.toString() : null;
            BatchCounts.DEAD_LETTERS.inc();
            out.get(ParseRowFn.DEAD).output(ParseRowFn.deadLetter(idJson, where, problem));
        }
    }

    /**
     * The ref's columns (those its slice was taken for), read straight from their chunks: the footer
     * is not read again (the ref carries what the read needs from it), once the file is found to be
     * the version that was listed.
     */
    static Map<String, ParquetColumn> readColumns(RowGroupRef ref) {
        String name = ref.file().toString();
        SeekableByteChannel channel = seekable(ref.file());
        try {
            requireUnchanged(channel, ref, name);
            return ParquetFile.readRowGroup(channel, name, ref.slice());
        } catch (IOException e) {
            throw new DatasetException(name + ": cannot read (" + e.getMessage() + ")", e);
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
    }

    /**
     * The file as it was listed: the same size and, where its filesystem tells it, the same
     * last-modified time. A file replaced between listing and reading (rewritten on a bucket
     * mid-run) would give another version's bytes at the listed chunks' places: garbage, or another
     * version's rows under the listed row numbers. The size is the open channel's (no request); the
     * time is one metadata look-up per row group, no bytes of the file.
     */
    private static void requireUnchanged(SeekableByteChannel channel, RowGroupRef ref, String name) throws IOException {
        boolean changed = channel.size() != ref.sizeBytes();
        if (!changed && ref.lastModifiedMillis() != 0) {
            long now = lastModifiedMillis(ref.file());
            changed = now != 0 && now != ref.lastModifiedMillis(); // 0: the filesystem no longer says
        }
        if (changed) {
            throw new DatasetException(name + ": changed since the run listed its row groups (rewritten while the run read it?);"
                    + " rerun once it is complete");
        }
    }

    /** The file's last-modified time as its filesystem matches it now (0: not said); -1 when it is no longer there. */
    private static long lastModifiedMillis(ResourceId file) throws IOException {
        MatchResult match = FileSystems.matchResources(List.of(file)).get(0);
        if (match.status() == MatchResult.Status.NOT_FOUND) return -1;
        // Matched by name: a name with glob characters ('[', '*') may match other files too.
        for (MatchResult.Metadata m : match.metadata()) {
            if (m.resourceId().toString().equals(file.toString())) return m.lastModifiedMillis();
        }
        return -1;
    }

    private String idProblem(ParquetColumn ids, int r) {
        String v = ids.get(r);
        if (v == null) return ParseRowFn.idReason(idColumn, "is null");
        if (v.isEmpty()) return ParseRowFn.idReason(idColumn, "is empty");
        if (ids.badUtf8(r)) return ParseRowFn.idReason(idColumn, BAD_UTF8);
        return null;
    }

    private String textProblem(ParquetColumn texts, int r) {
        String v = texts.get(r);
        if (v == null) return ParseRowFn.textReason(textColumn, "is null");
        // Summarizing replacement characters would turn a corrupt row into a plausible-looking summary.
        if (texts.badUtf8(r)) return ParseRowFn.textReason(textColumn, BAD_UTF8);
        if (BlankText.isBlank(v)) return ParseRowFn.textReason(textColumn, "is blank");
        return null;
    }

    /**
     * The id as JSON, typed as its column: a string column's value as a JSON string, a number or
     * boolean column's as the JSON number or boolean (so the output joins back as a JSON-lines
     * {@code "id": 7} does); NaN and infinite floats, which JSON has no number for, as strings.
     */
    static JsonNode idNode(String v, boolean holdsStrings) {
        if (v == null) return NODES.nullNode();
        if (holdsStrings) return NODES.textNode(v);
        try {
            JsonNode n = EXACT_NUMBERS.readTree(v);
            if (n != null && (n.isNumber() || n.isBoolean())) return n;
        } catch (IOException notJson) {
            // NaN, Infinity: kept as text below
        }
        return NODES.textNode(v);
    }

    /** The file as a seekable channel; a read failure is the file's problem, said with its name. */
    static SeekableByteChannel seekable(ResourceId file) {
        ReadableByteChannel channel;
        try {
            channel = FileSystems.open(file);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (channel instanceof SeekableByteChannel seekable) return seekable;
        try {
            channel.close();
        } catch (IOException ignored) {
            // the refusal below says more
        }
        throw new DatasetException(file + ": its filesystem reads it only from start to end; a Parquet file is read from its"
                + " footer (at the end) to the row groups, so it needs a filesystem with seekable reads");
    }
}
