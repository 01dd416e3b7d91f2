package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.engine.Autograd;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.Dtype;
import dev.resumo.engine.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Java half of {@code weights-tools/check_roundtrip.py}: saves random models through
 * {@link T5Checkpoint#save} (ReLU + tied, the PTT5 layout; gated-GELU + untied; each in F32 and
 * BF16), loads each back from disk, and writes the logits Resumo computes for a fixed padded batch
 * to {@code <dir>/<model>/resumo_logits.safetensors}, next to the model, for transformers to
 * compare against. Model directories named by {@code resumo.roundtrip.models} (comma-separated,
 * e.g. a {@code resumo train} run's {@code model/}) are scored too, output under {@code <dir>/extra-N}.
 * Runs only when {@code resumo.roundtrip.dir} is set (the script sets it).
 */
@Tag("slow")
class RoundTripExportTest {
    static final String DIR_PROPERTY = "resumo.roundtrip.dir";
    static final String MODELS_PROPERTY = "resumo.roundtrip.models";

    @Test
    void exportModelsAndTheirLogits() throws Exception {
        String dirProperty = System.getProperty(DIR_PROPERTY, "");
        Assumptions.assumeTrue(!dirProperty.isBlank(),
                "-D" + DIR_PROPERTY + " not set: weights-tools/check_roundtrip.py sets it");
        Path root = Path.of(dirProperty);
        Files.createDirectories(root);

        Map<String, T5Model> models = new LinkedHashMap<>();
        models.put("v1_0-relu-tied", T5Init.random(T5Config.fromJson(shape("relu", true)), new Random(11)));
        models.put("v1_1-gated-gelu", T5Init.random(T5Config.fromJson(shape("gated-gelu", false)), new Random(12)));
        int exported = 0;
        for (Map.Entry<String, T5Model> m : models.entrySet()) {
            for (Dtype dtype : List.of(Dtype.F32, Dtype.BF16)) {
                Path dir = root.resolve(m.getKey() + "-" + dtype.name().toLowerCase());
                T5Checkpoint.save(m.getValue(), dir, dtype);
                exportLogits(dir, dir);
                exported++;
            }
        }
        String extra = System.getProperty(MODELS_PROPERTY, "");
        int n = 0;
        for (String model : extra.split(",")) {
            if (model.isBlank()) continue;
            Path out = root.resolve("extra-" + n++);
            Files.createDirectories(out);
            Files.writeString(out.resolve("model_dir.txt"), Path.of(model).toAbsolutePath() + "\n");
            exportLogits(Path.of(model), out);
            exported++;
        }
        System.out.println("round trip: exported " + exported + " models with their logits to " + root);
        assertEquals(4 + n, exported);
    }

    /** A small model with real structure: 2+2 layers, 4 heads, d_kv != d_model / heads. */
    private static ObjectNode shape(String feedForward, boolean tied) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.put("vocab_size", 512).put("d_model", 64).put("d_kv", 8).put("d_ff", 96).put("num_layers", 2)
                .put("num_decoder_layers", 2).put("num_heads", 4).put("relative_attention_num_buckets", 32)
                .put("relative_attention_max_distance", 128).put("feed_forward_proj", feedForward)
                .put("tie_word_embeddings", tied).put("dropout_rate", 0.0);
        return c;
    }

    /** Loads the model from {@code modelDir} (what was saved, not the object in memory) and scores a fixed batch. */
    private static void exportLogits(Path modelDir, Path out) {
        T5Model model = T5Checkpoint.load(modelDir);
        int vocab = model.config().vocabSize();
        int batch = 3;
        int source = 11;
        int target = 7;
        Random rng = new Random(99);
        int[] inputIds = new int[batch * source];
        int[] mask = new int[batch * source];
        int[] labels = new int[batch * target];
        int[] sourceLengths = {source, 8, 5}; // padded rows: the mask must matter
        int[] targetLengths = {target, 4, 6};
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < source; i++) {
                boolean real = i < sourceLengths[b];
                inputIds[b * source + i] = real ? (i == sourceLengths[b] - 1 ? 1 : 3 + rng.nextInt(vocab - 3)) : 0;
                mask[b * source + i] = real ? 1 : 0;
            }
            for (int t = 0; t < target; t++) {
                boolean real = t < targetLengths[b];
                labels[b * target + t] = real ? 3 + rng.nextInt(vocab - 3) : Seq2SeqBatch.IGNORE;
            }
        }
        Seq2SeqBatch seq = new Seq2SeqBatch(batch, source, inputIds, mask, target, labels);
        int[] decoderInput = seq.decoderInputIds(model.config().decoderStartTokenId(), model.config().padTokenId());
        Tensor logits;
        try (var noGrad = Autograd.noGrad()) {
            logits = model.forward(seq, Dropout.OFF).logits();
        }
        assertTrue(Arrays.equals(new int[] {batch, target, vocab}, logits.shape()), Arrays.toString(logits.shape()));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        // Token ids stored as F32: exact for ids below 2^24.
        tensors.put("input_ids", ids(inputIds, batch, source));
        tensors.put("attention_mask", ids(mask, batch, source));
        tensors.put("decoder_input_ids", ids(decoderInput, batch, target));
        tensors.put("logits", logits);
        Safetensors.write(out.resolve("resumo_logits.safetensors"), tensors);
    }

    private static Tensor ids(int[] values, int rows, int cols) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) f[i] = values[i];
        return Tensor.of(f, rows, cols);
    }
}
