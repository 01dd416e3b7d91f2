package dev.resumo.engine.io;

import java.util.Locale;

/**
 * Element types a safetensors header may name, with their width in bytes. All of them can be
 * sized and validated; {@link SafetensorsFile#load} converts the floating-point ones (float8
 * included, exactly) and the integer ones to float32, {@link SafetensorsFile#loadInts} the integer
 * ones to int. Complex tensors (C64) are sized, so a file holding one opens, but never converted.
 */
public enum Dtype {
    BOOL(1, false), U8(1, false), I8(1, false), F8_E5M2(1, true), F8_E4M3(1, true),
    I16(2, false), U16(2, false), F16(2, true), BF16(2, true),
    I32(4, false), U32(4, false), F32(4, true),
    F64(8, true), I64(8, false), U64(8, false),
    /** torch.complex64: two float32, real then imaginary. No model weight is complex; loading one is refused. */
    C64(8, false);

    private final int byteSize;
    private final boolean floating;

    Dtype(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for floating-point types. */
    public boolean isFloating() {
        return floating;
    }

    /** True for complex types, which Resumo never converts to real values. */
    public boolean isComplex() {
        return this == C64;
    }

    /**
     * The torch dtype name ("float32", "bfloat16"), as transformers writes it in config.json's
     * {@code dtype} (F8_E4M3 is torch's float8_e4m3fn: finite, no infinities).
     */
    public String torchName() {
        return switch (this) {
            case BOOL -> "bool";
            case U8 -> "uint8";
            case I8 -> "int8";
            case F8_E5M2 -> "float8_e5m2";
            case F8_E4M3 -> "float8_e4m3fn";
            case I16 -> "int16";
            case U16 -> "uint16";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            case I32 -> "int32";
            case U32 -> "uint32";
            case F32 -> "float32";
            case F64 -> "float64";
            case I64 -> "int64";
            case U64 -> "uint64";
            case C64 -> "complex64";
        };
    }

    /** The dtype spelled as in a safetensors header ("F32", "BF16"), or null if it is not one. */
    public static Dtype fromHeader(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) return d;
        }
        return null;
    }

    /** Parses a user's choice such as "f32" or "bf16" (case-insensitive); null if unknown. */
    public static Dtype parseUserChoice(String name) {
        return fromHeader(name.trim().toUpperCase(Locale.ROOT));
    }
}
