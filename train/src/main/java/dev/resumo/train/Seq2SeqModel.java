package dev.resumo.train;

import dev.resumo.train.batch.TokenBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** What the Trainer needs from a sequence-to-sequence model (T5, or a tiny test model). */
public interface Seq2SeqModel {
    /** The trainable parameters in a fixed order (the order checkpoints and optimizers use). */
    List<Parameter> parameters();

    /**
     * Teacher-forced forward and backward on one micro-batch: adds {@code weight · d loss / d p}
     * into every {@link Parameter#grad()} and returns the (unweighted) mean token cross-entropy.
     * Dropout draws from {@code dropoutRng}, the only randomness allowed.
     */
    float accumulateGradients(TokenBatch batch, Random dropoutRng, float weight);

    /** Mean token cross-entropy with dropout off and no gradients recorded. */
    float evalLoss(TokenBatch batch);

    /**
     * The label smoothing ε of both losses (0 = none): each token's loss is then
     * (1 − ε)·(−log p[label]) + ε·mean_v(−log p[v]), and the Trainer weights micro-batches by their
     * tokens as transformers' LabelSmoother does.
     */
    default float labelSmoothing() {
        return 0f;
    }

    /** Writes the model in its own layout (HF: config.json + model.safetensors) into an existing directory. */
    void save(Path modelDir) throws IOException;
}
