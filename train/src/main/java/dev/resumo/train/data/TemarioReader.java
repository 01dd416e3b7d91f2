package dev.resumo.train.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The TeMário distribution layout: {@code Textos-fonte/<name>.txt} (source texts) and
 * {@code SumManuais/Sum-<name>.txt} (human summaries), in cp1252 (or UTF-8, for converted copies).
 * Ids are the file names without {@code .txt}. Line breaks are kept as '\n'; the split is left to the {@link SplitPlan}.
 */
final class TemarioReader {
    static final String TEXTS = "Textos-fonte", SUMMARIES = "SumManuais", SUMMARY_PREFIX = "Sum-";
    private static final Charset CP1252 = Charset.forName("windows-1252");

    private TemarioReader() {}

    static boolean looksLikeTemario(Path dir) {
        return Files.isDirectory(dir.resolve(TEXTS)) && Files.isDirectory(dir.resolve(SUMMARIES));
    }

    static void read(Path root, Consumer<SourceRow> rows, Rejections rejections) throws IOException {
        if (!looksLikeTemario(root)) {
            throw new DatasetException(root + ": not a TeMário folder (needs " + TEXTS + "/ and " + SUMMARIES + "/)");
        }
        Map<String, Path> texts = list(root.resolve(TEXTS), "");
        Map<String, Path> summaries = list(root.resolve(SUMMARIES), SUMMARY_PREFIX);
        for (Map.Entry<String, Path> e : summaries.entrySet()) {
            if (!texts.containsKey(e.getKey())) {
                rejections.add(rel(root, e.getValue()), 1, RejectReason.UNPAIRED, e.getKey(), "summary without a text in " + TEXTS + "/");
            }
        }
        for (Map.Entry<String, Path> e : texts.entrySet()) {
            String id = e.getKey();
            Path summaryFile = summaries.get(id);
            if (summaryFile == null) {
                rejections.add(rel(root, e.getValue()), 1, RejectReason.UNPAIRED, id, "no " + SUMMARIES + "/" + SUMMARY_PREFIX + id + ".txt");
                continue;
            }
            String text = decode(root, e.getValue(), id, rejections);
            String summary = text == null ? null : decode(root, summaryFile, id, rejections);
            if (text == null || summary == null) continue;
            rows.accept(new SourceRow(rel(root, e.getValue()), 1, id, text, summary, null));
        }
    }

    /** Files {@code <prefix><name>.txt} by name, sorted (so ids come in a stable order). */
    private static Map<String, Path> list(Path dir, String prefix) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p) || !name.toLowerCase().endsWith(".txt") || !name.startsWith(prefix)) continue;
                out.put(name.substring(prefix.length(), name.length() - 4), p);
            }
        }
        return out;
    }

    /**
     * Strict cp1252 decoding; on an undefined byte, rejects the pair with the line it is on. A file
     * that is valid UTF-8 is read as UTF-8: copies of TeMário converted to UTF-8 circulate, and their
     * accents ("ã" is C3 A3) are valid cp1252 too ("Ã£"), so they were read as mojibake without a word.
     * Portuguese cp1252 text is never valid UTF-8 unless it is ASCII ("ção" is E7 E3 6F), which reads
     * the same either way.
     */
    private static String decode(Path root, Path file, String id, Rejections rejections) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String utf8 = utf8(bytes);
        if (utf8 != null) return normalize(utf8.startsWith("\uFEFF") ? utf8.substring(1) : utf8);
        CharsetDecoder d = CP1252.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int pos = in.position(), line = 1;
            for (int i = 0; i < pos; i++) if (bytes[i] == '\n') line++;
            rejections.add(rel(root, file), line, RejectReason.BAD_ENCODING, id,
                    String.format("byte 0x%02X is not cp1252", bytes[pos] & 0xFF));
            return null;
        }
        d.flush(out);
        return normalize(out.flip().toString());
    }

    /** The bytes as UTF-8, or null when they are not valid UTF-8. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String normalize(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').strip();
    }

    private static String rel(Path root, Path file) {
        return root.getFileName() + "/" + root.relativize(file).toString().replace('\\', '/');
    }

}
