package dev.resumo.t5.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.opencl.OpenClBackend;
import dev.resumo.engine.optim.Adafactor;
import dev.resumo.engine.optim.AdafactorConfig;
import dev.resumo.t5.DeviceModels;
import dev.resumo.t5.Dropout;
import dev.resumo.t5.Golden;
import dev.resumo.t5.OpenClTestDevice;
import dev.resumo.t5.Seq2SeqBatch;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.Generator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden tiny T5s (../shared/golden) with every parameter resident on the OpenCL device
 * (PoCL in CI): logits, encoder output and loss, every parameter's gradient, three Adafactor
 * steps on the device, and greedy generation, all against PyTorch + transformers. Tolerances are
 * those of the CPU parity tests (T5ParityTest, OptimizerGoldenTest): the device is float32 like
 * both references, and only summation order differs.
 */
@Tag("opencl")
class T5OpenClParityTest {
    private static OpenClBackend backend() {
        return OpenClTestDevice.backendOrSkip();
    }

    /** The checkpoint with every parameter uploaded once; the model computes on the device. */
    private static T5Model onDevice(Path dir, OpenClBackend be) {
        T5Model model = DeviceModels.onDevice(T5Checkpoint.load(dir), be);
        for (Tensor p : model.parameters().values()) assertTrue(p.isOnDevice(), "parameter uploaded");
        return model;
    }

    private static Seq2SeqBatch batch(Path dir) {
        Path f = dir.resolve("batch.safetensors");
        int[] idsShape = Golden.shape(f, "input_ids"), labelsShape = Golden.shape(f, "labels");
        return new Seq2SeqBatch(idsShape[0], idsShape[1], Golden.ints(f, "input_ids"), Golden.ints(f, "attention_mask"),
                labelsShape[1], Golden.ints(f, "labels"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"t5-v1_0-tiny", "t5-v1_1-tiny"})
    void forwardAndGradientsOnTheDevice(String name) {
        Path dir = Golden.model(name);
        OpenClBackend be = backend();
        T5Model model = onDevice(dir, be);
        for (Tensor p : model.parameters().values()) p.requiresGrad(true);
        T5Model.Output out = model.forward(batch(dir), Dropout.OFF);
        assertTrue(out.logits().isOnDevice(), "logits computed on the device");

        Path fwd = dir.resolve("forward.safetensors");
        float encErr = Golden.maxAbsDiff(out.encoderOutput().toArray(), Golden.tensor(fwd, "encoder_last_hidden_state").toArray());
        float logitErr = Golden.maxAbsDiff(out.logits().toArray(), Golden.tensor(fwd, "logits").toArray());
        float refLoss = Golden.tensor(fwd, "loss").item();
        double lossErr = Math.abs((double) out.loss().item() - refLoss) / Math.abs(refLoss);
        System.out.printf("opencl %s: encoder max|Δ| %.3g, logits max|Δ| %.3g, loss rel %.3g%n", name, encErr, logitErr, lossErr);
        assertTrue(encErr <= 1e-5f, name + ": encoder output max abs error " + encErr + " > 1e-5");
        assertTrue(logitErr <= 1e-4f, name + ": logits max abs error " + logitErr + " > 1e-4");
        assertTrue(lossErr <= 1e-5, name + ": loss relative error " + lossErr + " > 1e-5");

        out.loss().backward();
        Map<String, Tensor> refGrads = Safetensors.readAll(dir.resolve("grads.safetensors"));
        assertEquals(refGrads.keySet(), model.parameters().keySet());
        double worst = 0;
        for (Map.Entry<String, Tensor> e : refGrads.entrySet()) {
            Tensor grad = model.parameters().get(e.getKey()).grad();
            assertNotNull(grad, e.getKey() + ": no gradient");
            assertTrue(grad.isOnDevice(), e.getKey() + ": gradient left the device");
            double err = Golden.relativeL2(grad.toArray(), e.getValue().toArray());
            assertTrue(err <= 1e-4, name + ": gradient of " + e.getKey() + " relative L2 error " + err + " > 1e-4");
            worst = Math.max(worst, err);
        }
        System.out.printf("opencl %s: %d gradients checked, worst relative L2 %.3g%n", name, refGrads.size(), worst);
    }

    @ParameterizedTest
    @ValueSource(strings = {"t5-v1_0-tiny", "t5-v1_1-tiny"})
    void threeAdafactorStepsOnTheDevice(String name) throws IOException {
        Path dir = Golden.model(name);
        OpenClBackend be = backend();
        T5Model model = onDevice(dir, be);
        Map<String, float[]> initial = new LinkedHashMap<>();
        model.parameters().forEach((k, v) -> initial.put(k, v.toArray()));
        for (Tensor p : model.parameters().values()) p.requiresGrad(true);
        // The standard optimizer: it sees device parameters and runs its update as device kernels.
        Adafactor opt = new Adafactor(model.parameters(), AdafactorConfig.defaults());
        JsonNode losses = new ObjectMapper().readTree(dir.resolve("meta.json").toFile()).get("losses_adafactor_default");
        Seq2SeqBatch batch = batch(dir);
        for (int step = 0; step < 3; step++) {
            T5Model.Output out = model.forward(batch, Dropout.OFF);
            double loss = out.loss().item(), ref = losses.get(step).asDouble();
            assertTrue(Math.abs(loss - ref) / Math.abs(ref) <= 1e-5, name + " step " + (step + 1) + ": loss " + loss + " vs " + ref);
            out.loss().backward();
            opt.step();
            opt.zeroGrad();
        }
        Map<String, Tensor> expected = Safetensors.readAll(dir.resolve("after3_adafactor_default.safetensors"));
        double worstParam = 0, worstUpdate = 0;
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor p = model.parameters().get(e.getKey());
            assertTrue(p.isOnDevice(), e.getKey() + " left the device");
            float[] ours = p.toArray(), theirs = e.getValue().toArray(), before = initial.get(e.getKey());
            double num = 0, den = 0, uden = 0;
            for (int i = 0; i < ours.length; i++) {
                double d = (double) ours[i] - theirs[i], u = (double) theirs[i] - before[i];
                num += d * d;
                den += (double) theirs[i] * theirs[i];
                uden += u * u;
            }
            double paramErr = Math.sqrt(num / den), updateErr = Math.sqrt(num / Math.max(uden, 1e-300));
            // As OptimizerGoldenTest: 1e-5 on parameters, 1e-3 on the updates (gradients already
            // differ from PyTorch's by ~1e-5..1e-4 relative through summation order).
            assertTrue(paramErr <= 1e-5, name + " " + e.getKey() + ": parameter relative L2 " + paramErr);
            assertTrue(updateErr <= 1e-3, name + " " + e.getKey() + ": update relative L2 " + updateErr);
            worstParam = Math.max(worstParam, paramErr);
            worstUpdate = Math.max(worstUpdate, updateErr);
        }
        System.out.printf("opencl %s: 3 Adafactor steps, %d parameters, worst relative L2 %.3g (updates %.3g)%n",
                name, expected.size(), worstParam, worstUpdate);
    }

    @ParameterizedTest
    @ValueSource(strings = {"t5-v1_0-tiny", "t5-v1_1-tiny"})
    void greedyAndBeamGenerationOnTheDevice(String name) {
        Path dir = Golden.model(name);
        T5Model model = onDevice(dir, backend());
        Golden.GenerationInputs in = Golden.generationInputs(dir);
        Path file = in.file();
        int pad = model.config().padTokenId();
        check(name + " greedy", file, "greedy",
                Generator.generate(model, in.ids(), in.mask(), in.batch(), in.length(), GenerationConfig.greedy(16)).padded(pad));
        // The settings of GenerationParityTest: the KV cache is reordered on the device every step.
        GenerationConfig beam = GenerationConfig.beam(4, 16).withBeams(4, 1.0f, GenerationConfig.EarlyStopping.TRUE, 1)
                .withNoRepeatNgramSize(3);
        check(name + " beam4_nrng3", file, "beam4_nrng3",
                Generator.generate(model, in.ids(), in.mask(), in.batch(), in.length(), beam).padded(pad));
    }

    private static void check(String what, Path file, String key, int[][] got) {
        int[] expected = Golden.ints(file, key);
        int[] eShape = Golden.shape(file, key);
        for (int r = 0; r < eShape[0]; r++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(expected, r * eShape[1], (r + 1) * eShape[1]), got[r], what + " row " + r);
        }
        System.out.printf("opencl %s: %d sequences x %d tokens identical%n", what, eShape[0], eShape[1]);
    }
}
