package dev.resumo.engine.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated header of a safetensors file: tensors in header order and the
 * {@code __metadata__} strings. Everything a reader later trusts is checked here: JSON well-formed
 * UTF-8, known dtypes, shapes and offsets that are non-negative integers, byte lengths equal to
 * shape times dtype width, and ranges that tile the data section exactly (no overlap, no hole, no
 * trailing bytes), as the format's specification requires.
 */
record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    /** The reference implementation's cap; larger headers are refused before being read. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    /**
     * Parses {@code headerBytes}, the JSON after the 8-byte length, of a file whose data section
     * is {@code dataBytes} long. {@code file} only names the file in error messages.
     */
    static SafetensorsHeader parse(String file, byte[] headerBytes, long dataBytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(file + ": safetensors header is not valid UTF-8");
        }
        // JSON whitespace may come before the '{': safetensors 0.8 (serde_json) loads such a file, so
        // refusing it would turn away a file every Python tool reads. Anything else is not a header.
        int first = 0;
        while (first < text.length() && " \t\n\r".indexOf(text.charAt(first)) >= 0) first++;
        if (first == text.length() || text.charAt(first) != '{') {
            throw new CheckpointFormatException(file + ": safetensors header does not start with '{'"
                    + " (not a safetensors file, or a corrupt one)");
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.SyntaxError e) {
            throw new CheckpointFormatException(file + ": safetensors header is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> entries)) {
            throw new CheckpointFormatException(file + ": safetensors header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                tensors.put(name, readTensor(file, name, e.getValue(), dataBytes));
            }
        }
        checkTiling(file, tensors, dataBytes);
        return new SafetensorsHeader(tensors, metadata);
    }

    private static void readMetadata(String file, Object value, Map<String, String> into) {
        if (value == null) return;
        if (!(value instanceof Map<?, ?> map)) {
            throw new CheckpointFormatException(file + ": safetensors __metadata__ must be an object of strings");
        }
        for (Map.Entry<?, ?> m : map.entrySet()) {
            if (!(m.getValue() instanceof String s)) {
                throw new CheckpointFormatException(file + ": safetensors __metadata__ value for '" + m.getKey()
                        + "' is not a string");
            }
            into.put((String) m.getKey(), s);
        }
    }

    private static TensorInfo readTensor(String file, String name, Object value, long dataBytes) {
        String where = file + ": tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> entry)) {
            throw new CheckpointFormatException(where + ": header entry is not an object");
        }
        if (!(entry.get("dtype") instanceof String dtypeName)) {
            throw new CheckpointFormatException(where + ": missing or non-string \"dtype\"");
        }
        Dtype dtype = Dtype.fromHeader(dtypeName);
        if (dtype == null) {
            throw new CheckpointFormatException(where + ": unknown dtype \"" + dtypeName + "\"");
        }
        List<Long> shapeValues = longs(where, entry.get("shape"), "shape");
        int[] shape = new int[shapeValues.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = shapeValues.get(i);
            if (d > Integer.MAX_VALUE) {
                throw new CheckpointFormatException(where + ": dimension " + i + " of the shape is " + d
                        + ", larger than this reader supports");
            }
            shape[i] = (int) d;
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException overflow) {
                throw new CheckpointFormatException(where + ": shape " + shapeValues + " has more elements than 2^63");
            }
        }
        List<Long> offsets = longs(where, entry.get("data_offsets"), "data_offsets");
        if (offsets.size() != 2) {
            throw new CheckpointFormatException(where + ": \"data_offsets\" must hold exactly 2 numbers, not "
                    + offsets.size());
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (begin > end) {
            throw new CheckpointFormatException(where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end > dataBytes) {
            throw new CheckpointFormatException(where + ": data_offsets [" + begin + ", " + end
                    + "] run past the end of the data section (" + dataBytes + " bytes; file truncated?)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(count, (long) dtype.byteSize());
        } catch (ArithmeticException overflow) {
            throw new CheckpointFormatException(where + ": shape " + shapeValues + " is too large");
        }
        if (end - begin != expected) {
            throw new CheckpointFormatException(where + ": size mismatch: shape " + shapeValues + " of " + dtype
                    + " needs " + expected + " bytes but data_offsets [" + begin + ", " + end + "] hold "
                    + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static List<Long> longs(String where, Object value, String field) {
        if (!(value instanceof List<?> list)) {
            throw new CheckpointFormatException(where + ": missing or non-array \"" + field + "\"");
        }
        List<Long> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Long v) || v < 0) {
                throw new CheckpointFormatException(where + ": \"" + field + "\" holds " + o
                        + ", not a non-negative integer");
            }
            out.add(v);
        }
        return out;
    }

    /** The ranges, sorted, must cover [0, dataBytes) exactly once. */
    private static void checkTiling(String file, Map<String, TensorInfo> tensors, long dataBytes) {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < covered) {
                throw new CheckpointFormatException(file + ": tensor '" + t.name() + "' bytes [" + t.begin() + ", "
                        + t.end() + ") overlap tensor '" + previous.name() + "' bytes [" + previous.begin() + ", "
                        + previous.end() + ")");
            }
            if (t.begin() > covered) {
                throw new CheckpointFormatException(file + ": data bytes [" + covered + ", " + t.begin()
                        + ") belong to no tensor (a hole before tensor '" + t.name() + "')");
            }
            covered = t.end();
            previous = t;
        }
        if (covered != dataBytes) {
            throw new CheckpointFormatException(file + ": data bytes [" + covered + ", " + dataBytes
                    + ") after the last tensor belong to no tensor");
        }
    }
}
