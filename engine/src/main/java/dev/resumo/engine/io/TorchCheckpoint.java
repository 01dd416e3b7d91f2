package dev.resumo.engine.io;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.TorchPickleRules.StorageRef;
import dev.resumo.engine.io.TorchPickleRules.TensorRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch {@code torch.save} state dict ({@code pytorch_model.bin}) without Python and
 * without running anything from it. Two layouts are understood:
 * <ul>
 *   <li>the zip format (PyTorch 1.6 and later): {@code <dir>/data.pkl} (the pickled dict),
 *       {@code <dir>/data/<key>} (raw storages) and {@code <dir>/byteorder};
 *   <li>the legacy format (older checkpoints, or {@code _use_new_zipfile_serialization=False}):
 *       consecutive pickles (magic number, protocol 1001, system info, the dict, the storage
 *       keys), then each storage as an int64 element count and little-endian elements.
 * </ul>
 * Pickles are read by {@link RestrictedUnpickler} with the {@link TorchPickleRules} allow-list.
 * Views are honoured: storage offsets, strides (transposed, sliced) and storages shared by
 * several names (tied weights) each give the values PyTorch would show. Every tensor comes out as
 * a contiguous float32 {@link Tensor}.
 */
public final class TorchCheckpoint {
    /** data.pkl of a state dict is small (names and shapes); larger is not a state dict. */
    private static final long MAX_PICKLE_BYTES = 256L << 20;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /**
     * The most elements a view may have beyond its storage's own. torch keeps a broadcast view
     * ({@code expand}: stride 0) as a view; Resumo copies every tensor out, so a 1.5 KB file that
     * declares a [2^30] expansion of one element asked for a 4 GiB array and died of
     * OutOfMemoryError. Real state dicts expand small buffers at most (position ids, masks); 2^24
     * elements (64 MiB as float32) leaves them room.
     */
    static final long MAX_EXPANDED_ELEMENTS = 1L << 24;
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;

    private TorchCheckpoint() {}

    /**
     * A loaded state dict. {@code aliases} maps each name that is the very same view of the same
     * storage as an earlier name (tied weights: {@code lm_head.weight} and {@code shared.weight}) to
     * that earlier name; both names are in {@code tensors}.
     */
    public record StateDict(Map<String, Tensor> tensors, Map<String, String> aliases) {}

    /** Where the bytes of a storage come from: a zip entry or a region of the legacy file. */
    @FunctionalInterface
    private interface StorageReader {
        float[] read(String where, StorageRef storage) throws IOException;
    }

    /**
     * Loads every tensor of the state dict at {@code path}, in the dict's order.
     *
     * @throws CheckpointFormatException if the file is not a torch.save state dict, names a global
     *     outside the allow-list, or its tensors do not fit their storages
     */
    public static Map<String, Tensor> load(Path path) {
        return read(path).tensors();
    }

    /** Like {@link #load}, also telling which names are tied to an earlier one. */
    public static StateDict read(Path path) {
        try {
            byte[] head = new byte[4];
            int n;
            try (InputStream in = Files.newInputStream(path)) {
                n = in.readNBytes(head, 0, 4);
            }
            if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return readZip(path);
            if (n >= 1 && (head[0] & 0xff) == 0x80) return readLegacy(path);
            throw new CheckpointFormatException(path + ": not a PyTorch checkpoint (neither a torch.save zip archive"
                    + " nor a legacy torch.save file)");
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(path + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static StateDict readZip(Path path) throws IOException {
        String source = path.toString();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            String dir = archiveDir(source, zip);
            ByteOrder order = byteOrder(source, zip, dir);
            byte[] pickle = readEntry(source, zip, zip.getEntry(dir + "data.pkl"), MAX_PICKLE_BYTES);
            Object root = RestrictedUnpickler.load(source, pickle, new TorchPickleRules(source));
            Map<String, TensorRef> refs = stateDict(source, root);
            StorageReader reader = (where, s) -> decodeZipStorage(where, zip, dir, order, s);
            return new StateDict(materialize(source, refs, reader), aliases(refs));
        } catch (ZipException e) {
            throw new CheckpointFormatException(path + ": damaged zip archive: " + e.getMessage());
        }
    }

    private static StateDict readLegacy(Path path) throws IOException {
        String source = path.toString();
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            ByteBuffer pickles = file.asSlice(0, Math.min(size, MAX_PICKLE_BYTES)).asByteBuffer();
            TorchPickleRules rules = new TorchPickleRules(source);
            Object magic = RestrictedUnpickler.load(source, pickles, rules);
            if (!LEGACY_MAGIC.equals(magic)) {
                throw new CheckpointFormatException(path + ": a pickle, but not a torch.save file (no torch magic number)");
            }
            Object protocol = RestrictedUnpickler.load(source, pickles, rules);
            if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
                throw new CheckpointFormatException(path + ": legacy torch.save protocol " + protocol + " is not supported");
            }
            RestrictedUnpickler.load(source, pickles, rules); // system info: legacy storages are little-endian regardless
            Map<String, TensorRef> refs = stateDict(source, RestrictedUnpickler.load(source, pickles, rules));
            Object keys = RestrictedUnpickler.load(source, pickles, rules);
            Map<String, Long> dataOffsets = legacyStorageOffsets(source, file, pickles.position(), keys, refs);
            StorageReader reader = (where, s) -> {
                float[] values = new float[(int) s.elementCount()];
                ElementDecoder.toFloats(file, dataOffsets.get(s.key()), s.dtype(), ByteOrder.LITTLE_ENDIAN, values, values.length);
                return values;
            };
            return new StateDict(materialize(source, refs, reader), aliases(refs));
        }
    }

    /** Walks the storages after the pickles: each is an int64 element count, then its bytes. */
    private static Map<String, Long> legacyStorageOffsets(String source, MemorySegment file, long offset, Object keys,
                                                          Map<String, TensorRef> refs) {
        if (!(keys instanceof List<?> keyList)) throw new CheckpointFormatException(source + ": legacy storage key list missing");
        Map<String, StorageRef> byKey = new HashMap<>();
        for (TensorRef t : refs.values()) byKey.put(t.storage().key(), t.storage());
        Map<String, Long> offsets = new HashMap<>();
        for (Object k : keyList) {
            StorageRef s = byKey.get(String.valueOf(k));
            if (s == null) throw new CheckpointFormatException(source + ": storage " + k + " is used by no tensor");
            if (offset + 8 > file.byteSize()) throw new CheckpointFormatException(source + ": truncated before storage " + k);
            long count = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), offset);
            if (count != s.elementCount()) {
                throw new CheckpointFormatException(source + ": storage " + k + " holds " + count + " elements, but the"
                        + " pickle says " + s.elementCount());
            }
            if (count > MAX_ARRAY) throw new CheckpointFormatException(source + ": storage " + k + " is larger than one array holds");
            long end = offset + 8 + count * s.dtype().byteSize();
            if (end > file.byteSize()) throw new CheckpointFormatException(source + ": truncated inside storage " + k);
            offsets.put(s.key(), offset + 8);
            offset = end;
        }
        for (String key : byKey.keySet()) {
            if (!offsets.containsKey(key)) throw new CheckpointFormatException(source + ": storage " + key + " is missing");
        }
        return offsets;
    }

    /** The archive's top-level folder ("archive/" by default, but any name): the one holding data.pkl. */
    private static String archiveDir(String source, ZipFile zip) {
        List<String> dirs = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) dirs.add(name.substring(0, slash + 1));
        }
        if (dirs.size() != 1) {
            throw new CheckpointFormatException(source + ": expected one <dir>/data.pkl in the zip, found " + dirs.size()
                    + " (not a torch.save checkpoint)");
        }
        return dirs.getFirst();
    }

    private static ByteOrder byteOrder(String source, ZipFile zip, String dir) throws IOException {
        ZipEntry e = zip.getEntry(dir + "byteorder");
        if (e == null) return ByteOrder.LITTLE_ENDIAN; // written only since PyTorch 2.1; older files are little-endian
        String text = new String(readEntry(source, zip, e, 16), StandardCharsets.US_ASCII).strip();
        return switch (text) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new CheckpointFormatException(source + ": unknown byteorder '" + text + "'");
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, TensorRef> stateDict(String source, Object root) {
        if (!(root instanceof Map<?, ?> map)) {
            throw new CheckpointFormatException(source + ": the pickle holds a "
                    + (root == null ? "None" : root.getClass().getSimpleName()) + ", not a state dict");
        }
        Map<String, TensorRef> refs = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : ((Map<Object, Object>) map).entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new CheckpointFormatException(source + ": state dict key " + e.getKey() + " is not a string");
            }
            if (!(e.getValue() instanceof TensorRef t)) {
                throw new CheckpointFormatException(source + ": entry '" + name + "' is not a tensor (only flat"
                        + " state dicts of tensors are supported, like pytorch_model.bin)");
            }
            refs.put(name, t);
        }
        return refs;
    }

    private static Map<String, Tensor> materialize(String source, Map<String, TensorRef> refs, StorageReader reader)
            throws IOException {
        Map<String, Integer> usesLeft = new HashMap<>();
        for (TensorRef t : refs.values()) usesLeft.merge(t.storage().key(), 1, Integer::sum);
        Map<String, float[]> decoded = new HashMap<>();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            TensorRef t = e.getValue();
            StorageRef s = t.storage();
            String where = source + ": tensor '" + e.getKey() + "'";
            checkFits(where, t);
            float[] storage = decoded.get(s.key());
            if (storage == null) {
                storage = reader.read(where, s);
                decoded.put(s.key(), storage);
            }
            out.put(e.getKey(), Tensor.of(gather(storage, t), t.size()));
            if (usesLeft.merge(s.key(), -1, Integer::sum) == 0) decoded.remove(s.key());
        }
        return out;
    }

    private static Map<String, String> aliases(Map<String, TensorRef> refs) {
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<List<Object>, String> firstByView = new HashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            TensorRef t = e.getValue();
            List<Object> view = List.of(t.storage().key(), t.offset(), Arrays.toString(t.size()), Arrays.toString(t.stride()));
            String first = firstByView.putIfAbsent(view, e.getKey());
            if (first != null) aliases.put(e.getKey(), first);
        }
        return aliases;
    }

    /** The furthest element the view reads must lie inside its storage. */
    private static void checkFits(String where, TensorRef t) {
        long count = 1;
        long last = t.offset();
        try {
            for (int i = 0; i < t.size().length; i++) {
                count = Math.multiplyExact(count, (long) t.size()[i]);
                if (t.size()[i] > 0) last = Math.addExact(last, Math.multiplyExact(t.size()[i] - 1L, t.stride()[i]));
            }
        } catch (ArithmeticException overflow) {
            throw new CheckpointFormatException(where + ": size/stride overflow");
        }
        if (count > MAX_ARRAY) throw new CheckpointFormatException(where + ": " + count + " elements, more than one array holds");
        if (count > t.storage().elementCount() && count > MAX_EXPANDED_ELEMENTS) {
            throw new CheckpointFormatException(where + ": a view of " + count + " elements (size " + Arrays.toString(t.size())
                    + ", stride " + Arrays.toString(t.stride()) + ") repeats a storage of " + t.storage().elementCount()
                    + "; Resumo copies each tensor out and refuses to expand one past " + MAX_EXPANDED_ELEMENTS + " elements");
        }
        if (count > 0 && last >= t.storage().elementCount()) {
            throw new CheckpointFormatException(where + ": view (offset " + t.offset() + ", size " + Arrays.toString(t.size())
                    + ", stride " + Arrays.toString(t.stride()) + ") reads element " + last + " of a storage of "
                    + t.storage().elementCount());
        }
    }

    private static float[] decodeZipStorage(String where, ZipFile zip, String dir, ByteOrder order, StorageRef s)
            throws IOException {
        ZipEntry entry = zip.getEntry(dir + "data/" + s.key());
        if (entry == null) throw new CheckpointFormatException(where + ": storage data/" + s.key() + " is missing from the zip");
        long expected = s.elementCount() * s.dtype().byteSize();
        if (s.elementCount() > MAX_ARRAY) {
            throw new CheckpointFormatException(where + ": storage data/" + s.key() + " is larger than one array holds");
        }
        byte[] bytes = readEntry(where, zip, entry, expected);
        if (bytes.length != expected) {
            throw new CheckpointFormatException(where + ": storage data/" + s.key() + " holds " + bytes.length
                    + " bytes, but " + s.elementCount() + " " + s.dtype() + " elements need " + expected);
        }
        float[] values = new float[(int) s.elementCount()];
        ElementDecoder.toFloats(MemorySegment.ofArray(bytes), 0, s.dtype(), order, values, values.length);
        return values;
    }

    /** Copies the strided view into a new row-major array. */
    static float[] gather(float[] storage, TensorRef t) {
        int[] size = t.size();
        long[] stride = t.stride();
        int rank = size.length;
        long count = 1;
        for (int d : size) count *= d;
        float[] out = new float[(int) count];
        if (count == 0) return out;
        if (isRowMajor(size, stride)) {
            System.arraycopy(storage, (int) t.offset(), out, 0, out.length);
            return out;
        }
        int inner = rank == 0 ? 1 : size[rank - 1];
        long innerStride = rank == 0 ? 0 : stride[rank - 1];
        int[] index = new int[Math.max(rank - 1, 0)];
        long base = t.offset();
        for (int o = 0; o < out.length; o += inner) {
            long src = base;
            for (int j = 0; j < inner; j++, src += innerStride) out[o + j] = storage[(int) src];
            // advance the outer index like an odometer, updating the base offset
            for (int d = rank - 2; d >= 0; d--) {
                index[d]++;
                base += stride[d];
                if (index[d] < size[d]) break;
                base -= stride[d] * index[d];
                index[d] = 0;
            }
        }
        return out;
    }

    private static boolean isRowMajor(int[] size, long[] stride) {
        long expected = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] != 1 && stride[i] != expected) return false;
            expected *= size[i];
        }
        return true;
    }

    private static byte[] readEntry(String where, ZipFile zip, ZipEntry entry, long limit) throws IOException {
        if (entry == null) throw new CheckpointFormatException(where + ": zip entry missing");
        if (entry.getSize() > limit) {
            throw new CheckpointFormatException(where + ": zip entry " + entry.getName() + " is " + entry.getSize()
                    + " bytes, more than the " + limit + " expected");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.min(limit, MAX_ARRAY));
            if (in.read() != -1) {
                throw new CheckpointFormatException(where + ": zip entry " + entry.getName() + " is longer than the "
                        + limit + " bytes expected");
            }
            return bytes;
        }
    }
}
