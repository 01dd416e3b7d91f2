package dev.resumo.train.t5;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Ops;
import dev.resumo.engine.StepBuffers;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.TuningProperty;
import dev.resumo.t5.Dropout;
import dev.resumo.t5.Seq2SeqBatch;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import dev.resumo.train.Parameter;
import dev.resumo.train.Seq2SeqModel;
import dev.resumo.train.batch.TokenBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A {@link T5Model} as the Trainer's {@link Seq2SeqModel}. Each parameter's gradient tensor is
 * installed as the tensor's autograd gradient, so backward accumulates straight into the array the
 * Trainer clips and the optimizer reads — no copies per step.
 */
public final class T5TrainableModel implements Seq2SeqModel {
    private final T5Model model;
    private final List<Parameter> parameters = new ArrayList<>();
    /** The step's activations and gradients, recycled from one micro-batch to the next. */
    private final StepBuffers stepBuffers;
    /** ε of --label-smoothing, in the training and the evaluation loss alike (as transformers' Trainer). */
    private final float labelSmoothing;

    public T5TrainableModel(T5Model model) {
        this(model, 0f);
    }

    /** With label smoothing ε in [0, 1] in both losses. */
    public T5TrainableModel(T5Model model, float labelSmoothing) {
        this(model, new StepBuffers().collectingAfter(COLLECT_AFTER_DROPPED_BYTES), labelSmoothing);
    }

    /**
     * A step longer than every pooled array drops the arrays it did not take (pooled by exact
     * length, training on varied lengths dropped ~450 MiB a step, PTT5-small batch 8; now that a
     * shorter step takes a longer step's arrays, only while lengths grow past the longest so far):
     * a full collection once 1 GiB has been dropped keeps the heap from growing to its limit
     * ({@link StepBuffers#collectingAfter} has the figures). -Dresumo.stepBuffers.collectAfterMiB
     * sets it; 0 turns it off.
     */
    static final long COLLECT_AFTER_DROPPED_BYTES =
            TuningProperty.longValue("resumo.stepBuffers.collectAfterMiB", 1024, 0, 1L << 40) << 20;

    /** With the given step buffers, or none (null: every array fresh; tests compare the two). */
    T5TrainableModel(T5Model model, StepBuffers stepBuffers) {
        this(model, stepBuffers, 0f);
    }

    private T5TrainableModel(T5Model model, StepBuffers stepBuffers, float labelSmoothing) {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.model = model;
        this.stepBuffers = stepBuffers;
        this.labelSmoothing = labelSmoothing;
        for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
            Tensor t = e.getValue();
            t.requiresGrad(true);
            parameters.add(Parameter.of(e.getKey(), t));
        }
    }

    public T5Model model() {
        return model;
    }

    /** Bytes of activation and gradient arrays kept for the next step's reuse (0 without step buffers). */
    public long stepBufferBytes() {
        return stepBuffers == null ? 0 : stepBuffers.pooledBytes();
    }

    /**
     * Large arrays the step buffers were asked for so far, and how many of them came back from an
     * earlier step or layer rather than new (both 0 without step buffers).
     */
    public long[] stepBufferRequestsAndReuses() {
        return stepBuffers == null ? new long[2] : new long[] {stepBuffers.requests(), stepBuffers.reused()};
    }

    /**
     * Bytes of pooled arrays dropped so far because a step had other shapes than the one before,
     * and the full collections asked for because of them (both 0 without step buffers).
     */
    public long[] stepBufferDropsAndCollections() {
        return stepBuffers == null ? new long[2] : new long[] {stepBuffers.droppedBytes(), stepBuffers.collections()};
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public float accumulateGradients(TokenBatch batch, Random dropoutRng, float weight) {
        for (Parameter p : parameters) {
            if (p.value().grad() != p.grad()) p.value().setGrad(p.grad());
        }
        float rate = model.config().dropoutRate();
        Dropout dropout = rate > 0f ? new Dropout(rate, dropoutRng) : Dropout.OFF;
        // Nothing of the forward outlives this scope but the parameters' gradients (escaped).
        try (var scope = stepBuffers == null ? null : stepBuffers.open()) {
            Tensor loss = model.trainingLoss(seq2seq(batch), dropout, labelSmoothing);
            float value = loss.item();
            if (!Float.isFinite(value)) return value; // no backward through a NaN: the Trainer stops
            (weight == 1f ? loss : Ops.scale(loss, weight)).backward();
            return value;
        }
    }

    @Override
    public float evalLoss(TokenBatch batch) {
        try (var noGrad = Autograd.noGrad()) {
            return model.forward(seq2seq(batch), Dropout.OFF, labelSmoothing).loss().item();
        }
    }

    @Override
    public float labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public void save(Path modelDir) throws IOException {
        T5Checkpoint.save(model, modelDir);
    }

    static Seq2SeqBatch seq2seq(TokenBatch b) {
        return new Seq2SeqBatch(b.batchSize(), b.sourceLength(), b.inputIds(), b.attentionMask(), b.targetLength(), b.labels());
    }
}
