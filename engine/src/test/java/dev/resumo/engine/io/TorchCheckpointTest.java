package dev.resumo.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fixtures come from weights-tools/make_torch_fixtures.py (torch 2.13 torch.save); the safetensors
 * twin holds every tensor as a contiguous float32 copy made by PyTorch itself.
 */
class TorchCheckpointTest {
    @TempDir
    Path dir;

    static Path resource(String name) throws Exception {
        return Path.of(TorchCheckpointTest.class.getResource("/torch/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"state_dict.bin", "legacy_state_dict.bin"})
    void matchesTheSafetensorsTwinExactly(String fixture) throws Exception {
        Map<String, Tensor> torch = TorchCheckpoint.load(resource(fixture));
        Map<String, Tensor> twin = Safetensors.readAll(resource("state_dict.safetensors"));
        assertEquals(List.of("embed.weight", "proj.weight", "proj.bias", "lm_head.weight", "view.transposed",
                "view.slice", "dtype.half", "dtype.bfloat16", "dtype.double", "dtype.long", "scalar", "param"),
                List.copyOf(torch.keySet()), "state dict order is kept");
        for (Map.Entry<String, Tensor> e : torch.entrySet()) {
            Tensor expected = twin.get(e.getKey());
            assertArrayEquals(expected.shape(), e.getValue().shape(), e.getKey());
            // Exact: f16/bf16 widen exactly, f64 and int64 -> f32 round the same way in Java and PyTorch.
            assertArrayEquals(expected.toArray(), e.getValue().toArray(), 0f, e.getKey());
        }
        System.out.println("TorchCheckpointTest: " + fixture + ": " + torch.size() + " tensors equal to their safetensors twin");
    }

    @Test
    void tiedWeightsAndViewsComeOutRight() throws Exception {
        Map<String, Tensor> torch = TorchCheckpoint.load(resource("state_dict.bin"));
        Tensor embed = torch.get("embed.weight");
        Tensor head = torch.get("lm_head.weight");
        assertArrayEquals(embed.toArray(), head.toArray(), 0f, "tied weights share one storage");
        assertNotSame(embed.data(), head.data(), "each name gets its own array");
        assertArrayEquals(new int[] {5, 4}, torch.get("view.transposed").shape());
        assertArrayEquals(new int[] {2, 3}, torch.get("view.slice").shape());
        assertArrayEquals(new int[] {}, torch.get("scalar").shape());
        assertEquals(2.5f, torch.get("scalar").toArray()[0]);
        assertArrayEquals(new float[] {-4, -1, 2, 5, 8}, torch.get("dtype.long").toArray(), 0f);
        assertEquals(Map.of("lm_head.weight", "embed.weight"), TorchCheckpoint.read(resource("state_dict.bin")).aliases(),
                "only the tied pair is an alias; views of one storage with other offsets/strides are not");
    }

    @Test
    void gatherFollowsStridesAndOffsets() {
        float[] storage = new float[30];
        for (int i = 0; i < storage.length; i++) storage[i] = i;
        // A [2,3,4] permuted view: element (a,b,c) at 1 + a*1 + b*8 + c*2 (arbitrary non-contiguous strides).
        var ref = new TorchPickleRules.TensorRef(new TorchPickleRules.StorageRef("0", Dtype.F32, 30), 1,
                new int[] {2, 3, 4}, new long[] {1, 8, 2});
        float[] out = TorchCheckpoint.gather(storage, ref);
        int k = 0;
        for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 4; c++) {
            assertEquals(1 + a + 8 * b + 2 * c, out[k++], 0f, "element " + a + "," + b + "," + c);
        }
    }

    @Test
    void refusesMaliciousPickleWithoutRunningIt() throws Exception {
        Path marker = Path.of("/tmp/resumo-pickle-was-executed");
        Files.deleteIfExists(marker);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> TorchCheckpoint.load(resource("malicious.bin")));
        assertTrue(e.getMessage().contains("malicious.bin") && e.getMessage().contains("refusing pickle global os.system"),
                e.getMessage());
        assertFalse(Files.exists(marker), "the command in the pickle never ran");
    }

    @Test
    void refusesOtherGlobalsAndOpcodes() {
        PickleRules rules = new TorchPickleRules("x.bin");
        // STACK_GLOBAL builtins.eval
        byte[] stackGlobal = concat(new byte[] {(byte) 0x80, 4}, shortUnicode("builtins"), shortUnicode("eval"),
                new byte[] {(byte) 0x93, '.'});
        var e1 = assertThrows(CheckpointFormatException.class, () -> RestrictedUnpickler.load("x.bin", stackGlobal, rules));
        assertTrue(e1.getMessage().contains("refusing pickle global builtins.eval"), e1.getMessage());
        // INST (protocol 0 object creation) is not an opcode torch.save uses
        byte[] inst = "(ios\nsystem\n.".getBytes(StandardCharsets.US_ASCII);
        var e2 = assertThrows(CheckpointFormatException.class, () -> RestrictedUnpickler.load("x.bin", inst, rules));
        assertTrue(e2.getMessage().contains("unsupported pickle opcode 0x69 ('i')"), e2.getMessage());
        // truncated stream
        byte[] cut = {(byte) 0x80, 2, 'X', 100, 0, 0, 0, 'a'};
        var e3 = assertThrows(CheckpointFormatException.class, () -> RestrictedUnpickler.load("x.bin", cut, rules));
        assertTrue(e3.getMessage().contains("truncated"), e3.getMessage());
    }

    @Test
    void refusesPicklesAndFilesThatAreNotTorchCheckpoints() throws Exception {
        var bare = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.load(resource("legacy.bin")));
        assertTrue(bare.getMessage().contains("legacy.bin: a pickle, but not a torch.save file"), bare.getMessage());
        Path junk = dir.resolve("junk.bin");
        Files.writeString(junk, "hello");
        var notTorch = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.load(junk));
        assertTrue(notTorch.getMessage().contains("junk.bin: not a PyTorch checkpoint"), notTorch.getMessage());
    }

    /** Fixtures from weights-tools/make_checkpoint_fuzz_regressions.py (torch 2.15). */
    @Test
    void smallBroadcastViewsLoadAsTorchCopiesThem() throws Exception {
        Map<String, Tensor> torch = TorchCheckpoint.load(resource("broadcast_small.bin"));
        Map<String, Tensor> twin = Safetensors.readAll(resource("broadcast_small.safetensors"));
        assertEquals(twin.keySet(), torch.keySet());
        for (Map.Entry<String, Tensor> e : twin.entrySet()) {
            assertArrayEquals(e.getValue().shape(), torch.get(e.getKey()).shape(), e.getKey());
            // Exact: a stride-0 view only repeats stored float32 values.
            assertArrayEquals(e.getValue().toArray(), torch.get(e.getKey()).toArray(), 0f, e.getKey());
        }
    }

    @Test
    void refusesABroadcastViewTooLargeToCopyInsteadOfRunningOutOfMemory() throws Exception {
        // 1.6 KB on disk: torch.ones(1).expand(2**30). Copying it out took 4 GiB and ended in OutOfMemoryError.
        var e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.load(resource("broadcast_huge.bin")));
        assertTrue(e.getMessage().contains("broadcast_huge.bin: tensor 'big'")
                && e.getMessage().contains("a view of 1073741824 elements") && e.getMessage().contains("storage of 1;"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"uint16.bin", "complex.bin"})
    void tensorTypesNotReadAreNamedAsSuchNotAsMalicious(String fixture) throws Exception {
        var e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.load(resource(fixture)));
        assertTrue(e.getMessage().contains(fixture + ": holds a tensor type Resumo does not read"), e.getMessage());
        assertFalse(e.getMessage().contains("malicious"), e.getMessage());
    }

    @Test
    void refusesATruncatedLegacyFile() throws Exception {
        byte[] full = Files.readAllBytes(resource("legacy_state_dict.bin"));
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length - 10));
        var e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.load(cut));
        assertTrue(e.getMessage().contains("cut.bin: truncated"), e.getMessage());
    }

    @Test
    void refusesATruncatedStorage() throws Exception {
        Path damaged = dir.resolve("damaged.bin");
        try (ZipFile in = new ZipFile(resource("state_dict.bin").toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(damaged))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().endsWith("/data/1")) bytes = java.util.Arrays.copyOf(bytes, bytes.length - 4);
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        var e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.load(damaged));
        assertTrue(e.getMessage().contains("'proj.weight'") && e.getMessage().contains("storage data/1 holds 44 bytes"),
                e.getMessage());
    }

    private static byte[] shortUnicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {(byte) 0x8c, (byte) b.length}, b);
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

}
