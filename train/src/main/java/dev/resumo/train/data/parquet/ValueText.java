package dev.resumo.train.data.parquet;

import dev.resumo.train.data.parquet.FileMetadata.LogicalType;
import dev.resumo.train.data.parquet.FileMetadata.SchemaElement;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How a flat column's values become the strings the loader reads, by physical and logical type:
 * strings (BYTE_ARRAY: STRING, ENUM, JSON or unannotated binary) as UTF-8; integers as decimal
 * digits (unsigned ones as unsigned); decimals as plain decimal numbers; floats, doubles and
 * booleans as Java writes them. So an integer {@code id} column gives ids "1", "2" as the JSONL
 * {@code "id": 1} does. Dates, times, timestamps, INT96, UUIDs and FLOAT16 are refused by
 * {@link #unsupported}: how to write them as text is a choice, and no summarization column needs one.
 */
final class ValueText {
    static final int BOOLEAN = 0, INT32 = 1, INT64 = 2, INT96 = 3, FLOAT = 4, DOUBLE = 5, BYTE_ARRAY = 6, FIXED_LEN_BYTE_ARRAY = 7;
    // parquet.thrift's ConvertedType values used here
    private static final int DECIMAL = 5, DATE = 6, TIMESTAMP_MICROS = 10, UINT_8 = 11, UINT_64 = 14, INTERVAL = 21;

    final int physical;
    final int typeLength;
    private final boolean unsigned;
    /** Set for DECIMAL columns: the number of digits after the point. */
    private final Integer decimalScale;

    private ValueText(int physical, int typeLength, boolean unsigned, Integer decimalScale) {
        this.physical = physical;
        this.typeLength = typeLength;
        this.unsigned = unsigned;
        this.decimalScale = decimalScale;
    }

    static String typeName(int physical) {
        return switch (physical) {
            case BOOLEAN -> "BOOLEAN";
            case INT32 -> "INT32";
            case INT64 -> "INT64";
            case INT96 -> "INT96";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case BYTE_ARRAY -> "BYTE_ARRAY";
            case FIXED_LEN_BYTE_ARRAY -> "FIXED_LEN_BYTE_ARRAY";
            default -> "type " + physical;
        };
    }

    /** What makes a leaf column unreadable as text, for the error; null when it reads. */
    static String unsupported(SchemaElement e) {
        LogicalType l = e.logicalType();
        Integer c = e.convertedType();
        int kind = l == null ? -1 : l.kind();
        if (kind == LogicalType.DATE || kind == LogicalType.TIME || kind == LogicalType.TIMESTAMP
                || (c != null && c >= DATE && c <= TIMESTAMP_MICROS) || e.type() == INT96) {
            String what = kind == LogicalType.DATE || (c != null && c == DATE) ? "dates"
                    : kind == LogicalType.TIME || (c != null && c <= DATE + 2) ? "times of day" : "timestamps";
            return "it holds " + what + "; Resumo reads text, number and boolean columns";
        }
        if (c != null && c == INTERVAL) return "it holds INTERVAL values; Resumo reads text, number and boolean columns";
        if (kind == LogicalType.UUID || kind == LogicalType.FLOAT16) {
            return "it holds " + (kind == LogicalType.UUID ? "UUID" : "FLOAT16") + " values; Resumo reads text, number and boolean columns";
        }
        if (e.type() == FIXED_LEN_BYTE_ARRAY && decimalScale(e) == null) {
            return "it holds fixed-length binary values; Resumo reads text, number and boolean columns";
        }
        if (e.type() < BOOLEAN || e.type() > FIXED_LEN_BYTE_ARRAY) return "its physical type " + e.type() + " is unknown";
        return null;
    }

    static ValueText of(SchemaElement e) {
        String why = unsupported(e);
        if (why != null) throw new ParquetFormatException(why);
        LogicalType l = e.logicalType();
        boolean unsigned = l != null && l.kind() == LogicalType.INTEGER ? !l.signed()
                : e.convertedType() != null && e.convertedType() >= UINT_8 && e.convertedType() <= UINT_64;
        return new ValueText(e.type(), e.typeLength(), unsigned, decimalScale(e));
    }

    private static Integer decimalScale(SchemaElement e) {
        if (e.logicalType() != null && e.logicalType().kind() == LogicalType.DECIMAL) return e.logicalType().scale();
        if (e.convertedType() != null && e.convertedType() == DECIMAL) return e.scale();
        return null;
    }

    /** What a column of non-strings holds, for the error that refuses it as a text column: "INT64 numbers", "booleans". */
    String nonStringKind() {
        if (physical == BOOLEAN) return "booleans";
        return (decimalScale != null ? "DECIMAL" : typeName(physical)) + " numbers";
    }

    /** Whether the values are strings (BYTE_ARRAY, not a decimal) rather than numbers or booleans written as text. */
    boolean holdsStrings() {
        return physical == BYTE_ARRAY && decimalScale == null;
    }

    String ofInt32(int v) {
        if (decimalScale != null) return BigDecimal.valueOf(v, decimalScale).toPlainString();
        return unsigned ? Integer.toUnsignedString(v) : Integer.toString(v);
    }

    String ofInt64(long v) {
        if (decimalScale != null) return BigDecimal.valueOf(v, decimalScale).toPlainString();
        return unsigned ? Long.toUnsignedString(v) : Long.toString(v);
    }

    /** A BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY value: a decimal's big-endian unscaled digits, else UTF-8 text. */
    void addBytes(byte[] buf, int off, int len, Cells out) {
        if (decimalScale != null) {
            if (len == 0) throw new ParquetFormatException("corrupt DECIMAL value of 0 bytes");
            byte[] digits = new byte[len];
            System.arraycopy(buf, off, digits, 0, len);
            out.add(new BigDecimal(new BigInteger(digits), decimalScale).toPlainString(), false);
            return;
        }
        String s = new String(buf, off, len, StandardCharsets.UTF_8);
        // U+FFFD is where the lenient decoder replaced bad bytes, or a real U+FFFD: only then check strictly.
        out.add(s, s.indexOf('\uFFFD') >= 0 && !validUtf8(buf, off, len));
    }

    private static boolean validUtf8(byte[] buf, int off, int len) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, off, len));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
