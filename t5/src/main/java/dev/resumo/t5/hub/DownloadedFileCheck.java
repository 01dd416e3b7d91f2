package dev.resumo.t5.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What can be checked cheaply about a finished download before it goes into the cache, so that a
 * login or error page a proxy or mirror answered with 200 is never stored as a model file: no file
 * is an HTML page, a .json file is one JSON object, a .safetensors file has a sane header (an 8-byte
 * little-endian length that fits the file, then a JSON object, then exactly the data it describes),
 * and when the server announced no length and no checksum (nothing else could tell a body cut
 * short), a .model file parses as a SentencePiece model and a .bin file ends with a zip's end record.
 */
final class DownloadedFileCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** safetensors' own reference implementation refuses headers above 100 MB. */
    private static final long MAX_SAFETENSORS_HEADER = 100L << 20;

    private DownloadedFileCheck() {}

    /**
     * Null when the file looks like what its name says, else why not.
     *
     * @param endUnknown the server announced neither a length nor a checksum (the body simply ended
     *     when the connection closed), so a cut-off body would look complete: the file's own
     *     structure must show that it is whole
     */
    static String problem(String file, Path part, boolean endUnknown) {
        try {
            long size = Files.size(part);
            byte[] head = new byte[(int) Math.min(size, 512)];
            try (InputStream in = Files.newInputStream(part)) {
                in.readNBytes(head, 0, head.length);
            }
            String start = new String(head, StandardCharsets.ISO_8859_1).stripLeading().toLowerCase(Locale.ROOT);
            if (start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<head")
                    || start.startsWith("<body")) {
                return "it is an HTML page, not the file (a login or error page?)";
            }
            String name = file.toLowerCase(Locale.ROOT);
            if (name.endsWith(".json")) return jsonObject(part);
            if (name.endsWith(".safetensors")) return safetensors(part, size);
            if (endUnknown && name.endsWith(".model")) return sentencePiece(part);
            if (endUnknown && name.endsWith(".bin")) return zipEnd(part, size);
            return null;
        } catch (IOException e) {
            return "cannot read it back (" + e.getMessage() + ")";
        }
    }

    private static String jsonObject(Path part) throws IOException {
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(part));
            return n != null && n.isObject() ? null : "it is not a JSON object";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "it is not valid JSON (" + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("") + ")";
        }
    }

    private static String safetensors(Path part, long size) throws IOException {
        if (size < 8) return "it is " + size + " bytes, too short for a safetensors header";
        byte[] len = new byte[8];
        try (InputStream in = Files.newInputStream(part)) {
            in.readNBytes(len, 0, 8);
            long headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 2 || headerLength > MAX_SAFETENSORS_HEADER || headerLength > size - 8) {
                return "its safetensors header length " + headerLength + " does not fit the file (" + size + " bytes)";
            }
            byte[] header = in.readNBytes((int) headerLength);
            JsonNode n;
            try {
                n = JSON.readTree(header);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return "its safetensors header is not valid JSON";
            }
            if (n == null || !n.isObject()) return "its safetensors header is not a JSON object";
            // The header says where every tensor's bytes end: a body cut short (a connection that
            // closed early with no length announced) is a file whose data stops before that.
            long dataEnd = 0;
            for (var it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals("__metadata__")) continue;
                JsonNode end = e.getValue().path("data_offsets").path(1);
                if (!end.canConvertToLong()) return "its safetensors header gives tensor '" + e.getKey() + "' no data_offsets";
                dataEnd = Math.max(dataEnd, end.asLong());
            }
            long expected = 8 + headerLength + dataEnd;
            if (size < expected) return "it is " + size + " bytes but its header describes " + expected + " (cut short)";
            return null;
        }
    }

    /** A SentencePiece model that parses as one (a cut-off protobuf mostly does not). */
    private static String sentencePiece(Path part) {
        try {
            dev.resumo.tokenizer.T5Tokenizer.load(part);
            return null;
        } catch (dev.resumo.tokenizer.TokenizerException e) {
            String m = String.valueOf(e.getMessage());
            return "it is not a usable SentencePiece model (" + (m.startsWith(part + " ") ? m.substring(part.toString().length() + 1) : m) + ")";
        }
    }

    /** A zip (torch.save's format) ends with its central directory's end record; a cut-off one does not. */
    private static String zipEnd(Path part, long size) throws IOException {
        int tail = (int) Math.min(size, 22 + 65_535); // the end record, after a comment of up to 64 KB
        byte[] b = new byte[tail];
        try (var ch = java.nio.channels.FileChannel.open(part)) {
            ch.read(ByteBuffer.wrap(b), size - tail);
        }
        for (int i = tail - 22; i >= 0; i--) {
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 5 && b[i + 3] == 6) return null;
        }
        return "it has no zip end record (cut short, or not a torch checkpoint)";
    }
}
