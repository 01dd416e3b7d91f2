package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.Safetensors;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forward and backward parity with PyTorch + transformers on the golden tiny models (ReLU/tied
 * and gated-GELU layouts): the same batch through our T5 must give HF's encoder output, logits,
 * loss and the gradient of every parameter.
 */
class T5ParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"t5-v1_0-tiny", "t5-v1_1-tiny"})
    void forwardAndGradientsMatchTransformers(String name) {
        Path dir = Golden.model(name);
        T5Model model = T5Checkpoint.load(dir);
        Path batchFile = dir.resolve("batch.safetensors");
        int[] ids = Golden.ints(batchFile, "input_ids");
        int[] idsShape = Golden.shape(batchFile, "input_ids");
        int[] labelsShape = Golden.shape(batchFile, "labels");
        Seq2SeqBatch batch = new Seq2SeqBatch(idsShape[0], idsShape[1], ids, Golden.ints(batchFile, "attention_mask"),
                labelsShape[1], Golden.ints(batchFile, "labels"));
        assertArrayEquals(Golden.ints(batchFile, "decoder_input_ids"),
                batch.decoderInputIds(model.config().decoderStartTokenId(), model.config().padTokenId()),
                "shift-right of the labels");

        for (Tensor p : model.parameters().values()) p.requiresGrad(true);
        T5Model.Output out = model.forward(batch, Dropout.OFF);

        Path fwd = dir.resolve("forward.safetensors");
        float[] refEnc = Golden.tensor(fwd, "encoder_last_hidden_state").toArray();
        float[] refLogits = Golden.tensor(fwd, "logits").toArray();
        float refLoss = Golden.tensor(fwd, "loss").item();
        float encErr = Golden.maxAbsDiff(out.encoderOutput().toArray(), refEnc);
        float logitErr = Golden.maxAbsDiff(out.logits().toArray(), refLogits);
        double lossErr = Math.abs((double) out.loss().item() - refLoss) / Math.abs(refLoss);
        System.out.printf("%s: encoder max|Δ| %.3g, logits max|Δ| %.3g (%d values), loss %.7f vs %.7f rel %.3g%n",
                name, encErr, logitErr, refLogits.length, out.loss().item(), refLoss, lossErr);
        // fp32 throughout on both sides; only summation order differs (≈1e-7 relative per op).
        assertTrue(encErr <= 1e-5f, name + ": encoder output max abs error " + encErr + " > 1e-5");
        // logits are dot products over d_model with |logit| ~ 1..10: 1e-4 leaves room for order effects.
        assertTrue(logitErr <= 1e-4f, name + ": logits max abs error " + logitErr + " > 1e-4");
        assertTrue(lossErr <= 1e-5, name + ": loss relative error " + lossErr + " > 1e-5");

        out.loss().backward();
        Map<String, Tensor> refGrads = Safetensors.readAll(dir.resolve("grads.safetensors"));
        assertEquals(refGrads.keySet(), model.parameters().keySet(), "the same parameters get gradients");
        double worst = 0;
        String worstName = "";
        for (Map.Entry<String, Tensor> e : refGrads.entrySet()) {
            Tensor grad = model.parameters().get(e.getKey()).grad();
            assertNotNull(grad, e.getKey() + ": no gradient");
            double err = Golden.relativeL2(grad.toArray(), e.getValue().toArray());
            // Gradients chain many fp32 ops; 1e-4 relative L2 is far below any real bug's signature.
            assertTrue(err <= 1e-4, name + ": gradient of " + e.getKey() + " relative L2 error " + err + " > 1e-4");
            if (err > worst) {
                worst = err;
                worstName = e.getKey();
            }
        }
        System.out.printf("%s: %d parameter gradients checked, worst relative L2 %.3g (%s)%n",
                name, refGrads.size(), worst, worstName);
    }
}
