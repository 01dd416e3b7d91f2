package dev.resumo.train.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.SafetensorsFile;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.optim.Adafactor;
import dev.resumo.engine.optim.AdafactorConfig;
import dev.resumo.engine.optim.AdamW;
import dev.resumo.engine.optim.AdamWConfig;
import dev.resumo.engine.optim.Optimizer;
import dev.resumo.t5.Dropout;
import dev.resumo.t5.Seq2SeqBatch;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Three training steps of the golden tiny T5s (../shared/golden, make_golden.py) with each
 * optimizer: losses and every parameter after step 3 must match PyTorch + transformers.
 */
class OptimizerGoldenTest {
    /**
     * Gradients already differ from PyTorch's by up to ~1e-4 relative L2 (summation order through
     * the whole network, see T5ParityTest); the optimizers turn a gradient error into an update error
     * of the same relative size, and the update is ~1e-3..1e-2 of a parameter. Measured worst: 3.3e-6
     * (parameters, AdamW) and 7.3e-5 (updates); the bounds leave 3x and 14x headroom. A wrong
     * optimizer (no bias correction, wrong factoring, unclipped update) gives update errors of 1e-2 or more.
     */
    static final double PARAM_TOLERANCE = 1e-5, UPDATE_TOLERANCE = 1e-3, LOSS_TOLERANCE = 1e-5;

    @ParameterizedTest
    @CsvSource({"t5-v1_0-tiny, adafactor_default", "t5-v1_0-tiny, adafactor_lr1e-3", "t5-v1_0-tiny, adamw_lr1e-3_wd0.01",
                "t5-v1_1-tiny, adafactor_default", "t5-v1_1-tiny, adafactor_lr1e-3", "t5-v1_1-tiny, adamw_lr1e-3_wd0.01"})
    void threeStepsMatchPyTorch(String modelName, String optimizerName) throws IOException {
        String shared = System.getProperty("resumo.shared");
        Path dir = shared == null ? null : Path.of(shared, "golden", modelName);
        assumeTrue(dir != null && Files.isRegularFile(dir.resolve("after3_" + optimizerName + ".safetensors")),
                "golden reference " + modelName + " not found under ../shared/golden (resumo.shared=" + shared + "): skipped");

        T5Model model = T5Checkpoint.load(dir);
        Map<String, Tensor> params = model.parameters();
        Map<String, float[]> initial = new HashMap<>();
        params.forEach((k, v) -> initial.put(k, v.toArray()));
        for (Tensor p : params.values()) p.requiresGrad(true);
        Optimizer opt = switch (optimizerName) {
            case "adafactor_default" -> new Adafactor(params, AdafactorConfig.defaults());
            case "adafactor_lr1e-3" -> new Adafactor(params, AdafactorConfig.fixedLr(1e-3));
            case "adamw_lr1e-3_wd0.01" -> new AdamW(params, AdamWConfig.of(1e-3, 0.01));
            default -> throw new IllegalArgumentException(optimizerName);
        };
        Seq2SeqBatch batch = batch(dir.resolve("batch.safetensors"));
        JsonNode refLosses = new ObjectMapper().readTree(dir.resolve("meta.json").toFile()).get("losses_" + optimizerName);

        for (int step = 0; step < 3; step++) {
            T5Model.Output out = model.forward(batch, Dropout.OFF);
            double loss = out.loss().item(), ref = refLosses.get(step).asDouble();
            assertTrue(Math.abs(loss - ref) / Math.abs(ref) <= LOSS_TOLERANCE,
                    modelName + " " + optimizerName + " step " + (step + 1) + ": loss " + loss + " vs " + ref);
            out.loss().backward();
            opt.step();
            opt.zeroGrad();
        }

        Map<String, Tensor> expected = Safetensors.readAll(dir.resolve("after3_" + optimizerName + ".safetensors"));
        assertEquals(expected.keySet(), params.keySet(), "the same parameters");
        double worstParam = 0, worstUpdate = 0;
        String worstName = "";
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            float[] ours = params.get(e.getKey()).toArray(), theirs = e.getValue().toArray(), before = initial.get(e.getKey());
            double paramErr = relativeL2(ours, theirs, null), updateErr = relativeL2(ours, theirs, before);
            assertTrue(paramErr <= PARAM_TOLERANCE, e.getKey() + ": parameter relative L2 " + paramErr);
            assertTrue(updateErr <= UPDATE_TOLERANCE, e.getKey() + ": update relative L2 " + updateErr);
            worstParam = Math.max(worstParam, paramErr);
            if (updateErr > worstUpdate) {
                worstUpdate = updateErr;
                worstName = e.getKey();
            }
        }
        System.out.printf("%s %s: %d parameters after 3 steps, worst parameter relative L2 %.3g, worst update relative L2 %.3g (%s)%n",
                modelName, optimizerName, expected.size(), worstParam, worstUpdate, worstName);
    }

    private static Seq2SeqBatch batch(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            int[] idsShape = f.load("input_ids").shape(), labelsShape = f.load("labels").shape();
            return new Seq2SeqBatch(idsShape[0], idsShape[1], f.loadInts("input_ids"), f.loadInts("attention_mask"),
                    labelsShape[1], f.loadInts("labels"));
        }
    }

    /** ‖a - b‖ / ‖b‖, or of the updates (a - origin) vs (b - origin) when origin is given. */
    private static double relativeL2(float[] a, float[] b, float[] origin) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            double o = origin == null ? 0 : origin[i];
            double d = (double) a[i] - b[i], ref = b[i] - o;
            num += d * d;
            den += ref * ref;
        }
        return Math.sqrt(num / Math.max(den, 1e-300));
    }
}
