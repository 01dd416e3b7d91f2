package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.opencl.OpenClBackend;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.Generated;
import dev.resumo.t5.generate.Generator;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checkpoint layouts of {@link T5VariantParityTest} with every parameter on the OpenCL device
 * (PoCL in CI): the device has its own activation kernels (exact GELU, SiLU), its own decode
 * caches sized by num_heads·d_kv and by the decoder's depth, and its own fused attention; logits
 * and greedy ids must still be transformers'. Same tolerance as on the host: float32 on both
 * sides, only summation order differs.
 */
@Tag("opencl")
class T5VariantOpenClTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @MethodSource("dev.resumo.t5.T5VariantParityTest#variants")
    void variantOnTheDeviceMatchesTransformers(String name) throws IOException {
        OpenClBackend be = OpenClTestDevice.backendOrSkip();
        Path dir = T5VariantParityTest.root().resolve(name);
        JsonNode ref = JSON.readTree(dir.resolve("reference.json").toFile());
        T5Model model = DeviceModels.onDevice(T5Checkpoint.load(dir), be);
        Path file = dir.resolve("reference.safetensors");
        T5VariantParityTest.Inputs in = T5VariantParityTest.Inputs.read(file);
        int batch = in.batch(), length = in.length();
        int[] ids = in.ids(), mask = in.mask();
        Tensor logits = in.logits(model);
        assertTrue(logits.isOnDevice(), "computed on the device");
        float err = Golden.maxAbsDiff(logits.toArray(), Golden.tensor(file, "logits").toArray());
        // the host test's tolerance and reasons (T5VariantParityTest)
        float tolerance = 1e-5f * Math.max(1f, (float) ref.get("max_abs_logit").doubleValue());
        assertTrue(err <= tolerance, name + " on OpenCL: logits max |Δ| " + err + " > " + tolerance);

        Generated got = Generator.generate(model, ids, mask, batch, length,
                GenerationConfig.greedy(ref.get("max_new_tokens").intValue()));
        JsonNode greedy = ref.get("greedy");
        for (int r = 0; r < batch; r++) {
            int[] want = new int[greedy.get(r).size()];
            for (int i = 0; i < want.length; i++) want[i] = greedy.get(r).get(i).intValue();
            assertArrayEquals(want, got.sequences().get(r), name + " on OpenCL: greedy ids of row " + r);
        }
        System.out.printf("opencl %-24s logits max|Δ| %.2g, greedy ids identical%n", name, err);
    }
}
