package dev.resumo.engine.io;

import java.util.Locale;

/**
 * Element types a safetensors header may name, with their width in bytes. All of them can be
 * sized and validated; {@link SafetensorsFile#load} converts the floating-point ones and the
 * integer ones to float32, {@link SafetensorsFile#loadInts} the integer ones to int.
 */
public enum Dtype {
    BOOL(1, false), U8(1, false), I8(1, false), F8_E5M2(1, true), F8_E4M3(1, true),
    I16(2, false), U16(2, false), F16(2, true), BF16(2, true),
    I32(4, false), U32(4, false), F32(4, true),
    F64(8, true), I64(8, false), U64(8, false);

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
