package dev.resumo.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the files PyTorch's safetensors wrote in ../shared/golden and checks them against config.json. */
class GoldenSafetensorsTest {
    @TempDir
    Path dir;

    private static Path golden(String model) {
        Path d = Path.of(System.getProperty("resumo.shared", "../shared"), "golden", model);
        Assumptions.assumeTrue(Files.isDirectory(d), "skipped: " + d + " is absent (shared reference data)");
        return d;
    }

    @SuppressWarnings("unchecked")
    private static int configInt(Path dir, String key) throws Exception {
        Map<String, Object> config = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("config.json")));
        return ((Long) config.get(key)).intValue();
    }

    @Test
    void tinyT5NamesAndShapesMatchTheConfig() throws Exception {
        int checked = 0;
        for (String model : new String[] {"t5-v1_0-tiny", "t5-v1_1-tiny"}) {
            Path d = golden(model);
            int vocab = configInt(d, "vocab_size");
            int dModel = configInt(d, "d_model");
            int inner = configInt(d, "num_heads") * configInt(d, "d_kv");
            int buckets = configInt(d, "relative_attention_num_buckets");
            int layers = configInt(d, "num_layers");
            try (SafetensorsFile f = SafetensorsFile.open(d.resolve("model.safetensors"))) {
                assertEquals("pt", f.metadata().get("format"));
                assertArrayEquals(new int[] {vocab, dModel}, f.info("shared.weight").shape());
                for (String stack : new String[] {"encoder", "decoder"}) {
                    for (int i = 0; i < layers; i++) {
                        for (String proj : new String[] {"q", "k", "v"}) {
                            String name = stack + ".block." + i + ".layer.0.SelfAttention." + proj + ".weight";
                            assertArrayEquals(new int[] {inner, dModel}, f.info(name).shape(), name);
                            checked++;
                        }
                    }
                    assertArrayEquals(new int[] {buckets, configInt(d, "num_heads")},
                            f.info(stack + ".block.0.layer.0.SelfAttention.relative_attention_bias.weight").shape());
                    assertArrayEquals(new int[] {dModel}, f.info(stack + ".final_layer_norm.weight").shape());
                    checked += 2;
                }
                Tensor emb = f.load("shared.weight");
                float[] values = emb.toArray();
                double sumSq = 0;
                for (float v : values) sumSq += v * v;
                assertTrue(sumSq > 0 && Double.isFinite(sumSq), "embedding holds real numbers");
            }
            try (SafetensorsFile batch = SafetensorsFile.open(d.resolve("batch.safetensors"))) {
                int[] ids = batch.loadInts("input_ids");
                int[] shape = batch.info("input_ids").shape();
                assertEquals(shape[0] * shape[1], ids.length);
                for (int id : ids) assertTrue(id >= 0 && id < vocab, "token id in vocabulary: " + id);
                checked++;
            }
        }
        System.out.println("GoldenSafetensorsTest: checked " + checked + " tensor shapes in 2 golden models");
    }

    @Test
    void writerReproducesTheReferenceFileByteForByte() throws Exception {
        Path original = golden("t5-v1_0-tiny").resolve("model.safetensors");
        Map<String, Tensor> sorted = new TreeMap<>(Safetensors.readAll(original));
        Path copy = dir.resolve("copy.safetensors");
        Safetensors.write(copy, sorted, Dtype.F32, Map.of("format", "pt"));
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy),
                "same tensors, sorted names and metadata give the exact bytes safetensors' save_file wrote");
    }
}
