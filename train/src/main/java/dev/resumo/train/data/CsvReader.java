package dev.resumo.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * CSV / TSV per RFC 4180: a header row names the columns; fields may be quoted with '"', quotes
 * inside doubled, and quoted fields may span lines (their line breaks become '\n'). UTF-8. A record
 * is rejected (file and line of its start) when any of its lines has invalid UTF-8, when its field
 * count differs from the header's, when a quote is never closed or text follows a closing quote.
 * A quote inside an unquoted field is kept as a literal character (as Python's csv module does).
 */
final class CsvReader {
    private CsvReader() {}

    static void read(InputStream in, String file, char delimiter, Columns columns, String fixedSplit,
                     Consumer<SourceRow> rows, Rejections rejections) throws IOException {
        Lines lines = new Lines(in, StandardCharsets.UTF_8);
        RecordParser parser = new RecordParser(lines, delimiter);
        List<String> header = parser.next();
        // Blank lines before the header are skipped, as pandas does (skip_blank_lines): the blank line
        // was taken for a header of no columns ("no column 'text' in the header []"), and a file of
        // only blank lines or a byte-order mark was not said to be empty.
        while (header != null && header.size() == 1 && header.get(0).isBlank() && parser.error == null && !parser.bad) {
            header = parser.next();
        }
        if (header == null) throw new DatasetException(file + ": empty file (a header row naming the columns is required)");
        String at = file + ":" + parser.startLine; // the header's line: blank lines may come before it
        if (parser.bad) throw new DatasetException(at + ": the header row is not valid UTF-8 (" + parser.encodingProblem + ")");
        if (parser.error != null) throw new DatasetException(at + ": bad header row: " + parser.error);
        Map<String, Integer> index = new HashMap<>();
        Set<String> used = Set.copyOf(List.of(columns.text(), columns.summary(), columns.id(), columns.split())); // copyOf: --id-column may equal another
        for (int i = 0; i < header.size(); i++) {
            // Two columns of one name that the reader takes: which one holds the text is a guess, so
            // it is not made. Columns it does not read may repeat (spreadsheets export a trailing
            // delimiter as unnamed columns "text,summary,,", which pandas reads as "Unnamed: 2", ...).
            Integer first = index.putIfAbsent(header.get(i).trim(), i);
            if (first != null && used.contains(header.get(i).trim())) {
                throw new DatasetException(at + ": the header names column '" + header.get(i).trim() + "' twice (columns "
                        + (first + 1) + " and " + (i + 1) + "); rename one");
            }
        }
        Integer textCol = index.get(columns.text()), summaryCol = index.get(columns.summary());
        if (textCol == null || summaryCol == null) {
            String missing = textCol == null ? columns.text() : columns.summary();
            throw new DatasetException(file + ": no column '" + missing + "' in the header " + header
                    + " (choose columns with --text-column / --summary-column)");
        }
        Integer idCol = index.get(columns.id()), splitCol = index.get(columns.split());
        List<String> rec;
        while ((rec = parser.next()) != null) {
            long n = parser.startLine;
            if (rec.size() == 1 && rec.get(0).isEmpty() && parser.error == null) continue; // blank line
            if (parser.bad) {
                rejections.add(file, n, RejectReason.BAD_ENCODING, null, parser.encodingProblem);
                continue;
            }
            if (parser.error != null) {
                rejections.add(file, n, RejectReason.MALFORMED, null, parser.error + parser.span());
                continue;
            }
            if (rec.size() != header.size()) {
                rejections.add(file, n, RejectReason.MALFORMED, null, "expected " + header.size() + " fields, found " + rec.size() + parser.span());
                continue;
            }
            String id = idCol != null ? rec.get(idCol) : file + ":" + n;
            String split = fixedSplit != null ? fixedSplit : splitCol != null ? rec.get(splitCol) : null;
            rows.accept(new SourceRow(file, n, id, rec.get(textCol), rec.get(summaryCol), split));
        }
    }

    /** Splits the decoded lines into records; tracks the start line, encoding and syntax errors. */
    private static final class RecordParser {
        private final Lines lines;
        private final char delimiter;
        private final StringBuilder field = new StringBuilder();
        long startLine;
        boolean bad;
        /** For a bad record: its first line's {@link Lines#encodingProblem()} that has one. */
        String encodingProblem;
        String error;

        RecordParser(Lines lines, char delimiter) {
            this.lines = lines;
            this.delimiter = delimiter;
        }

        /**
         * For a rejected record read across several lines: which lines it took in. A quote left open
         * makes the parser read the following rows as part of the field, so they vanish from the
         * data; the rejection says so, with the lines, so no row goes missing unaccounted for.
         */
        String span() {
            long end = lines.number();
            if (end <= startLine) return "";
            return "; this record spans lines " + startLine + "-" + end + " (" + (end - startLine + 1) + " lines): if a quote on line "
                    + startLine + " was meant to close there, the rows on lines " + (startLine + 1) + "-" + end
                    + " were read into it and are rejected with it";
        }

        List<String> next() throws IOException {
            if (!lines.next()) return null;
            startLine = lines.number();
            bad = lines.badEncoding();
            encodingProblem = bad ? lines.encodingProblem() : null;
            error = null;
            List<String> fields = new ArrayList<>();
            field.setLength(0);
            boolean quoted = false, wasQuoted = false;
            String s = lines.text();
            int i = 0;
            while (true) {
                if (i == s.length()) {
                    if (!quoted) break;
                    if (!lines.next()) {
                        error = "quote opened here is never closed";
                        break;
                    }
                    if (!bad && lines.badEncoding()) encodingProblem = "line " + lines.number() + ": " + lines.encodingProblem();
                    bad |= lines.badEncoding();
                    field.append('\n');
                    s = lines.text();
                    i = 0;
                    continue;
                }
                char c = s.charAt(i++);
                if (quoted) {
                    if (c == '"') {
                        if (i < s.length() && s.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append(c);
                    }
                } else if (c == delimiter) {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                } else if (c == '"' && field.isEmpty() && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (wasQuoted) {
                    if (error == null) error = "text after the closing quote of field " + (fields.size() + 1);
                    field.append(c);
                } else {
                    field.append(c);
                }
            }
            fields.add(field.toString());
            return fields;
        }
    }
}
