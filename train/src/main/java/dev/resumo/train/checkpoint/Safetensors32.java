package dev.resumo.train.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * F32 safetensors for checkpoints (weights and optimizer state): exact bytes in, exact bytes out.
 * The general reader/writer (all dtypes, memory-mapped) lives in engine.io; the Trainer only ever
 * saves and restores its own fp32 arrays, which this small class does with an fsync'd write.
 */
public final class Safetensors32 {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One named array and its shape. */
    public record Entry(int[] shape, float[] values) {}

    private Safetensors32() {}

    public static void write(Path file, Map<String, Entry> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            ObjectNode info = header.putObject(e.getKey());
            info.put("dtype", "F32");
            var shape = info.putArray("shape");
            for (int d : e.getValue().shape()) shape.add(d);
            long bytes = 4L * e.getValue().values().length;
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] headerBytes = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + 7) / 8 * 8; // the format asks for 8-byte alignment of the data
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(headerBytes);
            while (head.hasRemaining()) head.put((byte) ' ');
            head.flip();
            writeFully(ch, head);
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : tensors.values()) {
                for (float v : e.values()) {
                    if (!buf.hasRemaining()) {
                        buf.flip();
                        writeFully(ch, buf);
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
            }
            buf.flip();
            writeFully(ch, buf);
            ch.force(true);
        }
    }

    public static Map<String, Entry> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, file);
            long headerLength = lenBuf.flip().getLong();
            if (headerLength <= 0 || headerLength > 100_000_000 || 8 + headerLength > ch.size()) {
                throw new IOException(file + ": not a safetensors file (header length " + headerLength + ")");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBuf, file);
            JsonNode header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            Map<String, Entry> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) continue;
                JsonNode info = f.getValue();
                if (!"F32".equals(info.path("dtype").asText())) {
                    throw new IOException(file + ": tensor " + f.getKey() + " is " + info.path("dtype").asText() + ", expected F32");
                }
                int[] shape = new int[info.path("shape").size()];
                for (int i = 0; i < shape.length; i++) shape[i] = info.path("shape").get(i).asInt();
                long begin = info.path("data_offsets").get(0).asLong();
                long end = info.path("data_offsets").get(1).asLong();
                if (end < begin || dataStart + end > ch.size() || (end - begin) % 4 != 0) {
                    throw new IOException(file + ": tensor " + f.getKey() + " has bad offsets [" + begin + ", " + end + ")");
                }
                ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                ch.position(dataStart + begin);
                readFully(ch, data, file);
                data.flip();
                float[] values = new float[(int) ((end - begin) / 4)];
                data.asFloatBuffer().get(values);
                out.put(f.getKey(), new Entry(shape, values));
            }
            return out;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, Path file) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) throw new IOException(file + ": truncated");
        }
    }
}
