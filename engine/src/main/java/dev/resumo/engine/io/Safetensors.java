package dev.resumo.engine.io;

import dev.resumo.engine.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Reading whole safetensors files and writing them. Files are written in the layout that
 * {@code safetensors}/{@code transformers} load: tensors in the order given (pass a sorted map
 * for Hugging Face's alphabetical order), 8-byte-aligned header padded with spaces, data section
 * with no gaps. Writing streams one tensor at a time through a small buffer into a temporary file
 * beside the target, then renames it into place, so a crash never leaves a half-written model.
 */
public final class Safetensors {
    private static final int BUFFER_BYTES = 1 << 20;

    private Safetensors() {}

    /** Loads every tensor of {@code path} as float32, in header order. */
    public static Map<String, Tensor> readAll(Path path) {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            return file.loadAll();
        }
    }

    /**
     * Metadata {@code transformers} requires before it loads a safetensors file ("pt": PyTorch
     * layout).
     */
    public static final Map<String, String> PYTORCH_METADATA = Map.of("format", "pt");

    /** Writes {@code tensors} as F32 with {@link #PYTORCH_METADATA}. */
    public static void write(Path path, Map<String, Tensor> tensors) {
        write(path, tensors, Dtype.F32, PYTORCH_METADATA);
    }

    /**
     * Writes {@code tensors} (in iteration order) to {@code path}, stored as {@code dtype} (F32,
     * BF16 rounded to nearest even, or F16), with {@code metadata} as the header's
     * {@code __metadata__} (omitted when empty). Replaces an existing file atomically.
     */
    public static void write(Path path, Map<String, Tensor> tensors, Dtype dtype, Map<String, String> metadata) {
        if (dtype != Dtype.F32 && dtype != Dtype.BF16 && dtype != Dtype.F16) {
            throw new IllegalArgumentException("safetensors writer stores F32, BF16 or F16, not " + dtype);
        }
        byte[] header = header(tensors, dtype, metadata);
        Path target = path.toAbsolutePath();
        Path temp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime());
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buffer.putLong(header.length);
                drain(out, buffer);
                writeFully(out, ByteBuffer.wrap(header));
                for (Tensor t : tensors.values()) writeTensor(out, buffer, t.toArray(), dtype);
                out.force(true);
            }
            moveIntoPlace(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException(path + ": cannot write safetensors file: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** The header JSON, padded with spaces so the data section starts 8-byte aligned. */
    static byte[] header(Map<String, Tensor> tensors, Dtype dtype, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        boolean first = true;
        if (!metadata.isEmpty()) {
            Json.appendString(json, SafetensorsHeader.METADATA_KEY);
            json.append(":{");
            boolean firstMeta = true;
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (!firstMeta) json.append(',');
                Json.appendString(json, m.getKey());
                json.append(':');
                Json.appendString(json, m.getValue());
                firstMeta = false;
            }
            json.append('}');
            first = false;
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be named " + SafetensorsHeader.METADATA_KEY);
            }
            Tensor t = e.getValue();
            long bytes = (long) t.size() * dtype.byteSize();
            if (!first) json.append(',');
            Json.appendString(json, e.getKey());
            json.append(":{\"dtype\":\"").append(dtype.name()).append("\",\"shape\":[");
            int[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                if (i > 0) json.append(',');
                json.append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
            first = false;
        }
        json.append('}');
        while ((8 + utf8Length(json)) % 8 != 0) json.append(' ');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int utf8Length(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static void writeTensor(FileChannel out, ByteBuffer buffer, float[] values, Dtype dtype) throws IOException {
        int perChunk = BUFFER_BYTES / dtype.byteSize();
        MemorySegment bufferSegment = MemorySegment.ofBuffer(buffer);
        for (int start = 0; start < values.length; start += perChunk) {
            int n = Math.min(perChunk, values.length - start);
            buffer.clear();
            switch (dtype) {
                case F32 -> MemorySegment.copy(values, start, bufferSegment,
                        ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, n);
                case BF16 -> {
                    for (int i = 0; i < n; i++) buffer.putShort(2 * i, ElementDecoder.floatToBf16(values[start + i]));
                }
                case F16 -> {
                    for (int i = 0; i < n; i++) buffer.putShort(2 * i, Float.floatToFloat16(values[start + i]));
                }
                default -> throw new IllegalStateException(dtype.name());
            }
            buffer.position(n * dtype.byteSize());
            drain(out, buffer);
        }
    }

    private static void drain(FileChannel out, ByteBuffer buffer) throws IOException {
        buffer.flip();
        writeFully(out, buffer);
        buffer.clear();
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) out.write(bytes);
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        FileSync.folder(target.toAbsolutePath().getParent()); // the bytes were fsync'd before the rename
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the original failure is the one worth reporting
        }
    }
}
