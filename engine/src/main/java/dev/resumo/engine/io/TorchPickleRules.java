package dev.resumo.engine.io;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The allow-list for {@code torch.save} state dicts: {@code collections.OrderedDict}, the tensor
 * and parameter rebuild functions of {@code torch._utils}/{@code torch._tensor}, the tensor and
 * parameter types, and the typed storage classes ({@code torch.FloatStorage} ...). Any other
 * global is refused by name. Calls only build the records below; tensors' bytes are read later.
 */
final class TorchPickleRules implements PickleRules {
    /** A storage in the archive: {@code data/<key>}, {@code elementCount} elements of {@code dtype}. */
    record StorageRef(String key, Dtype dtype, long elementCount) {}

    /** A tensor: a strided view of a storage, as {@code _rebuild_tensor_v2} describes it. */
    record TensorRef(StorageRef storage, long offset, int[] size, long[] stride) {}

    private record StorageType(String name, Dtype dtype) {}

    private record TypeToken(String name) {}

    private enum Callable { ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE, REBUILD_FROM_TYPE_V2 }

    private static final Map<String, Object> ALLOWED = allowed();

    private final String source;

    TorchPickleRules(String source) {
        this.source = source;
    }

    private static Map<String, Object> allowed() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("collections.OrderedDict", Callable.ORDERED_DICT);
        m.put("torch._utils._rebuild_tensor_v2", Callable.REBUILD_TENSOR_V2);
        m.put("torch._utils._rebuild_parameter", Callable.REBUILD_PARAMETER);
        m.put("torch._utils._rebuild_parameter_with_state", Callable.REBUILD_PARAMETER_WITH_STATE);
        m.put("torch._tensor._rebuild_from_type_v2", Callable.REBUILD_FROM_TYPE_V2);
        m.put("torch.Tensor", new TypeToken("torch.Tensor"));
        m.put("torch.nn.parameter.Parameter", new TypeToken("torch.nn.parameter.Parameter"));
        String[][] storages = {
            {"FloatStorage", "F32"}, {"HalfStorage", "F16"}, {"BFloat16Storage", "BF16"}, {"DoubleStorage", "F64"},
            {"LongStorage", "I64"}, {"IntStorage", "I32"}, {"ShortStorage", "I16"}, {"CharStorage", "I8"},
            {"ByteStorage", "U8"}, {"BoolStorage", "BOOL"},
        };
        for (String[] s : storages) m.put("torch." + s[0], new StorageType("torch." + s[0], Dtype.valueOf(s[1])));
        return Map.copyOf(m);
    }

    @Override
    public Object global(String module, String name) {
        Object g = ALLOWED.get(module + "." + name);
        if (g == null && isTorchTensorTypeGlobal(module, name)) {
            // A genuine torch.save of a tensor type Resumo does not convert: "may be malicious" sent
            // users hunting for tampering in a plain uint16 or complex checkpoint.
            throw new CheckpointFormatException(source + ": holds a tensor type Resumo does not read (pickle global "
                    + module + "." + name + ", which torch.save writes for uint16/uint32/uint64, float8 and complex"
                    + " tensors); Resumo reads float32, float16, bfloat16, float64, int8-int64, uint8 and bool");
        }
        if (g == null) {
            throw new CheckpointFormatException(source + ": refusing pickle global " + module + "." + name
                    + " (a PyTorch state dict never needs it; the file may be malicious)");
        }
        return g;
    }

    /**
     * torch.save's own names for tensors of other types: {@code _rebuild_tensor_v3} with an
     * {@code UntypedStorage} and a dtype global (torch 2.x, for types without a typed storage
     * class), or a typed storage class outside the allow-list ({@code ComplexFloatStorage}). Only
     * recognised for the message; they are refused all the same.
     */
    private static boolean isTorchTensorTypeGlobal(String module, String name) {
        return (module.equals("torch._utils") && name.equals("_rebuild_tensor_v3"))
                || (module.equals("torch.storage") && name.equals("UntypedStorage"))
                || (module.equals("torch") && name.endsWith("Storage"));
    }

    @Override
    public Object call(Object callable, List<Object> args) {
        if (!(callable instanceof Callable c)) {
            throw error("pickle calls " + callable + ", which is not callable here");
        }
        return switch (c) {
            case ORDERED_DICT -> orderedDict(args);
            case REBUILD_TENSOR_V2 -> rebuildTensor(args);
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                if (args.isEmpty() || !(args.getFirst() instanceof TensorRef t)) throw error("_rebuild_parameter without a tensor");
                yield t;
            }
            case REBUILD_FROM_TYPE_V2 -> {
                // (func, new_type, args, state): a tensor subclass; rebuild the plain tensor it wraps.
                if (args.size() != 4 || !(args.get(1) instanceof TypeToken) || !(args.get(2) instanceof List<?> inner)) {
                    throw error("_rebuild_from_type_v2 with unexpected arguments");
                }
                @SuppressWarnings("unchecked")
                List<Object> innerArgs = (List<Object>) inner;
                yield call(args.get(0), innerArgs);
            }
        };
    }

    private Object orderedDict(List<Object> args) {
        Map<Object, Object> d = new LinkedHashMap<>();
        if (args.isEmpty()) return d;
        if (args.size() == 1 && args.getFirst() instanceof List<?> pairs) {
            for (Object p : pairs) {
                if (!(p instanceof List<?> kv) || kv.size() != 2) throw error("OrderedDict(...) with a non-pair item");
                d.put(kv.get(0), kv.get(1));
            }
            return d;
        }
        throw error("OrderedDict called with unexpected arguments");
    }

    private TensorRef rebuildTensor(List<Object> args) {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (args.size() < 4 || !(args.get(0) instanceof StorageRef storage) || !(args.get(1) instanceof Long offset)) {
            throw error("_rebuild_tensor_v2 with unexpected arguments");
        }
        long[] size = longs(args.get(2), "size");
        long[] stride = longs(args.get(3), "stride");
        if (size.length != stride.length) {
            throw error("tensor size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride) + " differ in rank");
        }
        int[] shape = new int[size.length];
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || size[i] > Integer.MAX_VALUE || stride[i] < 0) {
                throw error("tensor size " + Arrays.toString(size) + " / stride " + Arrays.toString(stride) + " out of range");
            }
            shape[i] = (int) size[i];
        }
        if (offset < 0) throw error("negative storage offset " + offset);
        return new TensorRef(storage, offset, shape, stride);
    }

    private long[] longs(Object o, String what) {
        if (!(o instanceof List<?> list)) throw error("tensor " + what + " is not a tuple");
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v)) throw error("tensor " + what + " holds a non-integer");
            out[i] = v;
        }
        return out;
    }

    @Override
    public Object build(Object target, Object state) {
        // OrderedDict state is its attributes (e.g. _metadata with module versions): not weights.
        if (target instanceof Map<?, ?> || target instanceof TensorRef) return target;
        throw error("BUILD on " + describe(target) + " is not allowed");
    }

    @Override
    public Object persistentLoad(Object id) {
        // ('storage', storage_type, key, location, numel); the legacy format adds view_metadata (None)
        if (!(id instanceof List<?> t) || t.size() < 5 || t.size() > 6 || !"storage".equals(t.get(0))) {
            throw error("unexpected persistent id " + id);
        }
        if (t.size() == 6 && t.get(5) != null) throw error("storage views (legacy view_metadata) are not supported");
        if (!(t.get(1) instanceof StorageType type)) throw error("persistent id names no storage type: " + t.get(1));
        if (!(t.get(2) instanceof String key)) throw error("storage key is not a string: " + t.get(2));
        if (!(t.get(4) instanceof Long count) || count < 0) throw error("storage size is not a count: " + t.get(4));
        return new StorageRef(key, type.dtype(), count);
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private CheckpointFormatException error(String what) {
        return new CheckpointFormatException(source + ": " + what);
    }
}
