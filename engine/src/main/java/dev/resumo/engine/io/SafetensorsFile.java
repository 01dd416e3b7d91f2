package dev.resumo.engine.io;

import dev.resumo.engine.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An open safetensors file, memory-mapped whole (no 2 GB limit) and with its header validated on
 * {@link #open}. Tensors are copied out one at a time, straight from the mapping into a fresh
 * float32 (or int32) array, so loading a model never holds the file in heap twice; each
 * tensor's mapped pages are released from the resident set once copied, so the peak stays near
 * the size of the copies.
 *
 * <p>Layout: 8-byte little-endian header length N, N bytes of UTF-8 JSON, then the data section
 * the header's {@code data_offsets} index into. Close it to unmap (the arena is shared, so
 * tensors may be loaded from several threads while it is open).
 */
public final class SafetensorsFile implements AutoCloseable {
    private static final ByteOrder FILE_ORDER = ByteOrder.LITTLE_ENDIAN;
    /** The largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final long dataStart;
    private final SafetensorsHeader header;

    private SafetensorsFile(Path path, Arena arena, MemorySegment mapping, long dataStart, SafetensorsHeader header) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.dataStart = dataStart;
        this.header = header;
    }

    /**
     * Maps {@code path} and validates its header.
     *
     * @throws CheckpointFormatException if the file is not a well-formed safetensors file
     * @throws UncheckedIOException if it cannot be read (missing, unreadable)
     */
    public static SafetensorsFile open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new CheckpointFormatException(path + ": truncated: " + size
                        + " bytes, too short for the 8-byte safetensors header length");
            }
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLength = mapping.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(FILE_ORDER), 0);
            if (headerLength < 0 || headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw new CheckpointFormatException(path + ": safetensors header length "
                        + Long.toUnsignedString(headerLength) + " exceeds the " + SafetensorsHeader.MAX_HEADER_BYTES
                        + "-byte limit (not a safetensors file, or a corrupt one)");
            }
            if (8 + headerLength > size) {
                throw new CheckpointFormatException(path + ": truncated: header length " + headerLength
                        + " runs past the end of the " + size + "-byte file");
            }
            byte[] headerBytes = mapping.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            long dataStart = 8 + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(path.toString(), headerBytes, size - dataStart);
            return new SafetensorsFile(path, arena, mapping, dataStart, header);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new UncheckedIOException(path + ": no such file", e);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException(path + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(header.tensors().keySet());
    }

    /** Every tensor's dtype, shape and byte range, in header order. */
    public List<TensorInfo> infos() {
        return List.copyOf(header.tensors().values());
    }

    /** True if the file holds a tensor of that name. */
    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    /** The {@code __metadata__} strings (empty when there are none). */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(header.metadata());
    }

    /**
     * The header entry of {@code name}.
     *
     * @throws CheckpointFormatException naming the file if there is no such tensor
     */
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw new CheckpointFormatException(path + ": no tensor named '" + name + "' (the file has "
                    + header.tensors().size() + " tensors" + nearbyNames() + ")");
        }
        return info;
    }

    /**
     * Copies one tensor out as float32 with its stored shape. F32, F16, BF16, F8_E4M3 and F8_E5M2
     * convert exactly, F64 by rounding to nearest; integer and bool tensors become their float
     * values. A complex tensor is refused, naming the file, the tensor and its dtype.
     */
    public Tensor load(String name) {
        TensorInfo info = info(name);
        refuseComplex(info);
        int count = arrayLength(info);
        float[] values = new float[count];
        try {
            ElementDecoder.toFloats(mapping, dataStart + info.begin(), info.dtype(), FILE_ORDER, values, count);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(path + ": tensor '" + name + "': " + e.getMessage());
        }
        releasePages(info);
        return Tensor.of(values, info.shape());
    }

    /**
     * Copies an integer tensor (I8..I64, U8..U64, BOOL) out as int32, row-major. Refuses floating
     * tensors and values outside the int range, naming the tensor.
     */
    public int[] loadInts(String name) {
        TensorInfo info = info(name);
        refuseComplex(info);
        if (info.dtype().isFloating()) {
            throw new CheckpointFormatException(path + ": tensor '" + name + "' is " + info.dtype()
                    + ", not an integer tensor");
        }
        int count = arrayLength(info);
        int[] values = new int[count];
        int bad = ElementDecoder.toInts(mapping, dataStart + info.begin(), info.dtype(), FILE_ORDER, values, count);
        releasePages(info);
        if (bad >= 0) {
            throw new CheckpointFormatException(path + ": tensor '" + name + "': element " + bad
                    + " does not fit in a 32-bit int");
        }
        return values;
    }

    private void refuseComplex(TensorInfo info) {
        if (info.dtype().isComplex()) {
            throw new CheckpointFormatException(path + ": tensor '" + info.name() + "' is " + info.dtype() + " ("
                    + info.dtype().torchName() + "), a complex tensor; Resumo reads real-valued tensors only"
                    + " (float32/16, bfloat16, float8, float64, integers, bool)");
        }
    }

    /** Every tensor as float32, in header order. */
    public Map<String, Tensor> loadAll() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (String name : header.tensors().keySet()) all.put(name, load(name));
        return all;
    }

    /** Unmaps the file; tensors already loaded stay valid. */
    @Override
    public void close() {
        arena.close();
    }

    /**
     * Drops the tensor's file pages from this process's resident set once they are copied out
     * (madvise DONTNEED on a read-only mapping: the page cache keeps them, nothing is lost). Without
     * it a whole-model load peaks at twice the weights: every mapped page plus its float copy.
     */
    private void releasePages(TensorInfo info) {
        if (info.byteLength() > 0) mapping.asSlice(dataStart + info.begin(), info.byteLength()).unload();
    }

    private int arrayLength(TensorInfo info) {
        long count = info.elementCount();
        if (count > MAX_ARRAY) {
            throw new CheckpointFormatException(path + ": tensor '" + info.name() + "' has " + count
                    + " elements, more than one Java array holds");
        }
        return (int) count;
    }

    private String nearbyNames() {
        List<String> names = new ArrayList<>(header.tensors().keySet());
        if (names.isEmpty()) return "";
        return ", e.g. '" + String.join("', '", names.subList(0, Math.min(3, names.size()))) + "'";
    }
}
