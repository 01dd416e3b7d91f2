package dev.resumo.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    private static Tensor random(Random rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) rng.nextGaussian();
        return Tensor.of(d, shape);
    }

    private static Map<String, Tensor> sample() {
        Random rng = new Random(7);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("zeta.weight", random(rng, 3, 5));
        m.put("alpha.bias", random(rng, 7));
        m.put("scalar", Tensor.of(new float[] {42.5f}));
        m.put("empty", Tensor.zeros(0, 4));
        m.put("cube", random(rng, 2, 3, 4));
        return m;
    }

    @Test
    void f32RoundTripIsExactAndKeepsOrderShapesAndMetadata() throws IOException {
        Map<String, Tensor> tensors = sample();
        Path file = dir.resolve("m.safetensors");
        Safetensors.write(file, tensors, Dtype.F32, Map.of("format", "pt"));

        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.copyOf(tensors.keySet()), List.copyOf(f.names()), "header keeps the given order");
            assertEquals(Map.of("format", "pt"), f.metadata());
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor back = f.load(e.getKey());
                assertArrayEquals(e.getValue().shape(), back.shape(), e.getKey());
                assertArrayEquals(e.getValue().toArray(), back.toArray(), 0f, e.getKey() + " (F32 is stored bit-exact)");
                assertEquals(Dtype.F32, f.info(e.getKey()).dtype());
            }
        }
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "data section starts 8-byte aligned");
        assertTrue(Files.list(dir).allMatch(p -> p.equals(file)), "no temporary file is left behind");
    }

    @Test
    void bf16RoundTripRoundsToNearestEven() {
        float ulp = (float) Math.pow(2, -7);
        float[] values = {1f, -2.5f, 1f + ulp / 2, 1f + 3 * ulp / 2, 3.0e38f, 1e-40f, Float.NaN, Float.NEGATIVE_INFINITY};
        // Exact bf16 values worked out by hand: 3e38 = 1.7632*2^127 -> 226/128*2^127; 1e-40 (bits 0x000116C2) -> 2^-133.
        float[] expected = {1f, -2.5f, 1f, 1f + 2 * ulp, 0x1.c4p127f, 0x1p-133f, Float.NaN, Float.NEGATIVE_INFINITY};
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("v", Tensor.of(values, values.length));
        Path file = dir.resolve("b.safetensors");
        Safetensors.write(file, tensors, Dtype.BF16, Map.of());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Dtype.BF16, f.info("v").dtype());
            assertEquals(2L * values.length, f.info("v").byteLength());
            float[] back = f.load("v").toArray();
            for (int i = 0; i < values.length; i++) {
                // The nearest bf16 (ties to even) is one exact float: no tolerance.
                if (Float.isNaN(expected[i])) assertTrue(Float.isNaN(back[i]), "NaN stays NaN");
                else assertEquals(expected[i], back[i], 0f, "element " + i + " (" + values[i] + ")");
            }
            assertEquals(1f, back[2], 0f, "tie 1+2^-8 rounds down to the even 1.0");
            assertEquals(1f + 2 * ulp, back[3], 0f, "tie 1+3*2^-8 rounds up to the even 1+2^-6");
        }
        // Random values: bf16 relative error is at most 2^-8.
        Map<String, Tensor> rnd = new LinkedHashMap<>();
        rnd.put("r", random(new Random(3), 1000));
        Safetensors.write(file, rnd, Dtype.BF16, Map.of());
        float[] orig = rnd.get("r").toArray();
        float[] back = Safetensors.readAll(file).get("r").toArray();
        for (int i = 0; i < orig.length; i++) {
            assertEquals(orig[i], back[i], Math.abs(orig[i]) * 0x1p-8f, "bf16 rounding error bound (2^-8 relative)");
        }
    }

    @Test
    void readsF16AndIntegerTensors() throws IOException {
        // Hand-made bytes, independent of the writer: F16 1.0, -2.0, 65504 (max), 2^-24 (smallest subnormal);
        // I32 -3, 7; I64 5, 2^40.
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"l\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[16,32]}}";
        ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x7BFF).putShort((short) 0x0001);
        data.putInt(-3).putInt(7);
        data.putLong(5).putLong(1L << 40);
        Path file = dir.resolve("mixed.safetensors");
        Files.write(file, CorruptSafetensorsTest.fileBytes(header, data.array()));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, f.load("h").toArray(), 0f);
            assertArrayEquals(new int[] {2, 2}, f.load("h").shape());
            assertArrayEquals(new int[] {-3, 7}, f.loadInts("i"));
            assertArrayEquals(new float[] {-3f, 7f}, f.load("i").toArray(), 0f);
            CheckpointFormatException tooBig = assertThrows(CheckpointFormatException.class, () -> f.loadInts("l"));
            assertTrue(tooBig.getMessage().contains("'l'") && tooBig.getMessage().contains("element 1"), tooBig.getMessage());
            CheckpointFormatException notInt = assertThrows(CheckpointFormatException.class, () -> f.loadInts("h"));
            assertTrue(notInt.getMessage().contains("F16"), notInt.getMessage());
            CheckpointFormatException missing = assertThrows(CheckpointFormatException.class, () -> f.load("nope"));
            assertTrue(missing.getMessage().contains("mixed.safetensors") && missing.getMessage().contains("'nope'"),
                    missing.getMessage());
        }
    }

    @Test
    void headerIsPaddedWithSpacesLikeTheReferenceWriter() {
        Map<String, Tensor> one = new LinkedHashMap<>();
        one.put("a", Tensor.zeros(1));
        byte[] h = Safetensors.header(one, Dtype.F32, Map.of());
        String text = new String(h, StandardCharsets.UTF_8);
        assertEquals(0, (8 + h.length) % 8);
        assertEquals("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", text.strip());
        assertTrue(text.substring(text.lastIndexOf('}') + 1).chars().allMatch(c -> c == ' '));
    }
}
