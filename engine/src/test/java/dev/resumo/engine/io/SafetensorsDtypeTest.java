package dev.resumo.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The dtypes transformers can save beyond float32/16, bfloat16 and the integers, against what
 * torch 2.15 makes of them (resources/safetensors/, written by
 * weights-tools/make_safetensors_dtype_fixtures.py): float8 tensors holding every one of the 256
 * bit patterns of each format, converted to float32, and a complex tensor, refused by name.
 */
class SafetensorsDtypeTest {
    private static Path fixture(String name) throws Exception {
        return Path.of(SafetensorsDtypeTest.class.getResource("/safetensors/" + name).toURI());
    }

    @Test
    void float8E4m3fnConvertsEveryBitPatternExactlyAsTorch() throws Exception {
        assertEveryPatternAsTorch("e4m3", Dtype.F8_E4M3);
    }

    @Test
    void float8E5m2ConvertsEveryBitPatternExactlyAsTorch() throws Exception {
        assertEveryPatternAsTorch("e5m2", Dtype.F8_E5M2);
    }

    private static void assertEveryPatternAsTorch(String name, Dtype dtype) throws Exception {
        try (SafetensorsFile f = SafetensorsFile.open(fixture("float8.safetensors"))) {
            assertEquals(dtype, f.info(name).dtype());
            Tensor loaded = f.load(name);
            float[] expected = f.load(name + ".float32").toArray();
            assertArrayEquals(new int[] {256}, loaded.shape());
            float[] actual = loaded.toArray();
            for (int bits = 0; bits < 256; bits++) {
                String where = String.format("%s bit pattern 0x%02x: torch %s, Resumo %s", name, bits, expected[bits], actual[bits]);
                // Exact, sign of zero included: every float8 value is a float32. NaN payloads are not
                // compared (torch's is its own choice): NaN must stay NaN.
                if (Float.isNaN(expected[bits])) {
                    assertTrue(Float.isNaN(actual[bits]), where);
                } else {
                    assertEquals(Float.floatToRawIntBits(expected[bits]), Float.floatToRawIntBits(actual[bits]), where);
                }
            }
        }
    }

    /** The facts of each format that a plausible wrong decoder breaks, stated from the formats' definitions. */
    @Test
    void float8FormatsSpecialValues() throws Exception {
        try (SafetensorsFile f = SafetensorsFile.open(fixture("float8.safetensors"))) {
            float[] e4m3 = f.load("e4m3").toArray();
            float[] e5m2 = f.load("e5m2").toArray();
            // e4m3fn: no infinities, NaN only at S.1111.111, largest finite 448, S.1111.110 a normal number.
            int e4m3NaNs = 0;
            for (float v : e4m3) {
                assertFalse(Float.isInfinite(v), "e4m3fn has no infinities");
                if (Float.isNaN(v)) e4m3NaNs++;
            }
            assertEquals(2, e4m3NaNs, "e4m3fn NaN only at 0x7f and 0xff");
            assertTrue(Float.isNaN(e4m3[0x7f]) && Float.isNaN(e4m3[0xff]));
            assertEquals(448f, e4m3[0x7e]);
            assertEquals(-448f, e4m3[0xfe]);
            assertEquals(0x1p-9f, e4m3[0x01], "smallest e4m3 subnormal: 2^-6 · 1/8");
            assertEquals(0x1p-6f, e4m3[0x08], "smallest e4m3 normal");
            assertEquals(1f, e4m3[0x38], "exponent bias 7");
            // e5m2: IEEE-like, bias 15, ±inf at S.11111.00, NaN at S.11111.{01,10,11}.
            assertEquals(Float.POSITIVE_INFINITY, e5m2[0x7c]);
            assertEquals(Float.NEGATIVE_INFINITY, e5m2[0xfc]);
            for (int bits : new int[] {0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff}) assertTrue(Float.isNaN(e5m2[bits]), "0x" + Integer.toHexString(bits));
            assertEquals(57344f, e5m2[0x7b], "largest e5m2 finite");
            assertEquals(0x1p-16f, e5m2[0x01], "smallest e5m2 subnormal: 2^-14 · 1/4");
            assertEquals(1f, e5m2[0x3c], "exponent bias 15");
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(e5m2[0x80]));
        }
    }

    @Test
    void aComplexTensorIsRefusedByNameWhileTheFileOpensAndItsOtherTensorsLoad() throws Exception {
        Path file = fixture("complex.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Dtype.C64, f.info("z").dtype());
            assertArrayEquals(new float[] {1f, -2f, 0.5f}, f.load("real").toArray(), 0f);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> f.load("z"));
            assertEquals(file + ": tensor 'z' is C64 (complex64), a complex tensor; Resumo reads real-valued tensors only"
                    + " (float32/16, bfloat16, float8, float64, integers, bool)", e.getMessage());
            CheckpointFormatException ints = assertThrows(CheckpointFormatException.class, () -> f.loadInts("z"));
            assertEquals(e.getMessage(), ints.getMessage());
            assertThrows(CheckpointFormatException.class, f::loadAll);
        }
        CheckpointFormatException all = assertThrows(CheckpointFormatException.class, () -> Safetensors.readAll(file));
        assertTrue(all.getMessage().startsWith(file + ": tensor 'z' is C64 (complex64)") && !all.getMessage().contains("\n"),
                all.getMessage());
    }
}
