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
 * little-endian length that fits the file, then a JSON object).
 */
final class DownloadedFileCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** safetensors' own reference implementation refuses headers above 100 MB. */
    private static final long MAX_SAFETENSORS_HEADER = 100L << 20;

    private DownloadedFileCheck() {}

    /** Null when the file looks like what its name says, else why not. */
    static String problem(String file, Path part) {
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
            try {
                JsonNode n = JSON.readTree(header);
                return n != null && n.isObject() ? null : "its safetensors header is not a JSON object";
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return "its safetensors header is not valid JSON";
            }
        }
    }
}
