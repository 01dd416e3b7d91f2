package dev.resumo.train.fake;

import dev.resumo.train.Parameter;
import dev.resumo.train.Seq2SeqModel;
import dev.resumo.train.batch.TokenBatch;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny seq2seq scorer for Trainer tests (no T5 needed): the source is a bag of words (mean of
 * embeddings, with dropout), each target position adds a position vector, and a linear layer scores
 * the vocabulary. Gradients are written out by hand. It learns, it uses dropout randomness, and it
 * can be told to return NaN at a given call (the NaN-stop test).
 */
public final class BagOfWordsModel implements Seq2SeqModel {
    public static final int VOCAB = 48;
    public static final int DIM = 16;
    public static final int MAX_TARGET = 16;
    private static final float DROPOUT = 0.1f;

    private final Parameter emb = Parameter.zeros("emb.weight", VOCAB, DIM);
    private final Parameter pos = Parameter.zeros("pos.weight", MAX_TARGET, DIM);
    private final Parameter out = Parameter.zeros("out.weight", DIM, VOCAB);
    private final Parameter bias = Parameter.zeros("out.bias", VOCAB);
    private final long stepDelayMillis;
    private final long nanAtCall;
    /** ε: the loss is (1 − ε)·CE + ε·mean_v(−log p_v), as T5TrainableModel's with --label-smoothing. */
    private final float labelSmoothing;
    private long calls;

    public BagOfWordsModel(long seed, long stepDelayMillis, long nanAtCall) {
        this(seed, stepDelayMillis, nanAtCall, 0f);
    }

    public BagOfWordsModel(long seed, long stepDelayMillis, long nanAtCall, float labelSmoothing) {
        this.labelSmoothing = labelSmoothing;
        this.stepDelayMillis = stepDelayMillis;
        this.nanAtCall = nanAtCall;
        Random r = new Random(seed);
        for (Parameter p : List.of(emb, pos, out)) {
            for (int i = 0; i < p.values().length; i++) p.values()[i] = (float) (r.nextGaussian() * 0.3);
        }
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(emb, pos, out, bias);
    }

    @Override
    public float accumulateGradients(TokenBatch batch, Random dropoutRng, float weight) {
        calls++;
        if (stepDelayMillis > 0) {
            try {
                Thread.sleep(stepDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (calls == nanAtCall) return Float.NaN;
        return forward(batch, dropoutRng, weight, true);
    }

    @Override
    public float labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public float evalLoss(TokenBatch batch) {
        return forward(batch, null, 0f, false);
    }

    /** Greedy "summary" ids for one source: argmax at each target position (for the eval ROUGE path). */
    public int[] generate(int[] source, int length) {
        float[] h = sourceVector(source, source.length, null, new float[DIM]);
        int[] outIds = new int[length];
        float[] logits = new float[VOCAB];
        for (int j = 0; j < length; j++) {
            scores(h, j, logits);
            int best = 0;
            for (int v = 1; v < VOCAB; v++) if (logits[v] > logits[best]) best = v;
            outIds[j] = best;
        }
        return outIds;
    }

    private float forward(TokenBatch b, Random rng, float weight, boolean train) {
        double total = 0;
        int counted = 0;
        float[] logits = new float[VOCAB];
        float[] dz = new float[DIM];
        float[] dh = new float[DIM];
        float[] keep = new float[DIM];
        for (int i = 0; i < b.batchSize(); i++) {
            int len = 0;
            for (int k = 0; k < b.sourceLength(); k++) len += b.attentionMask()[i * b.sourceLength() + k];
            int[] src = java.util.Arrays.copyOfRange(b.inputIds(), i * b.sourceLength(), i * b.sourceLength() + len);
            float[] h = sourceVector(src, len, train ? rng : null, keep);
            java.util.Arrays.fill(dh, 0f);
            for (int j = 0; j < b.targetLength(); j++) {
                int label = b.labels()[i * b.targetLength() + j];
                if (label == TokenBatch.IGNORE_INDEX) continue;
                scores(h, j, logits);
                float max = Float.NEGATIVE_INFINITY;
                for (float l : logits) max = Math.max(max, l);
                double sum = 0;
                for (float l : logits) sum += Math.exp(l - max);
                double lse = Math.log(sum) + max, below = 0;
                for (float l : logits) below += lse - l;
                total += (1 - labelSmoothing) * (lse - logits[label]) + labelSmoothing * below / VOCAB;
                counted++;
                if (!train) continue;
                // d CE / d logits = softmax - onehot; the mean over tokens is applied after the loop.
                for (int v = 0; v < VOCAB; v++) {
                    logits[v] = (float) (Math.exp(logits[v] - max) / sum) - (v == label ? 1f - labelSmoothing : 0f) - labelSmoothing / VOCAB;
                }
                java.util.Arrays.fill(dz, 0f);
                for (int d = 0; d < DIM; d++) {
                    float zd = h[d] + pos.values()[j * DIM + d];
                    for (int v = 0; v < VOCAB; v++) {
                        out.grads()[d * VOCAB + v] += weight * logits[v] * zd / b.targetTokens();
                        dz[d] += out.values()[d * VOCAB + v] * logits[v];
                    }
                }
                for (int v = 0; v < VOCAB; v++) bias.grads()[v] += weight * logits[v] / b.targetTokens();
                for (int d = 0; d < DIM; d++) {
                    pos.grads()[j * DIM + d] += weight * dz[d] / b.targetTokens();
                    dh[d] += dz[d];
                }
            }
            if (train) {
                for (int k = 0; k < len; k++) {
                    for (int d = 0; d < DIM; d++) {
                        emb.grads()[src[k] * DIM + d] += weight * dh[d] * keep[d] / len / b.targetTokens();
                    }
                }
            }
        }
        return (float) (total / counted);
    }

    /** Mean source embedding with inverted dropout; keep[d] receives the scale applied (0 or 1/(1-p)). */
    private float[] sourceVector(int[] src, int len, Random rng, float[] keep) {
        float[] h = new float[DIM];
        for (int k = 0; k < len; k++) {
            for (int d = 0; d < DIM; d++) h[d] += emb.values()[src[k] * DIM + d] / len;
        }
        for (int d = 0; d < DIM; d++) {
            keep[d] = rng == null ? 1f : (rng.nextFloat() < DROPOUT ? 0f : 1f / (1f - DROPOUT));
            h[d] *= keep[d];
        }
        return h;
    }

    private void scores(float[] h, int j, float[] logits) {
        for (int v = 0; v < VOCAB; v++) logits[v] = bias.values()[v];
        for (int d = 0; d < DIM; d++) {
            float zd = h[d] + pos.values()[j * DIM + d];
            for (int v = 0; v < VOCAB; v++) logits[v] += zd * out.values()[d * VOCAB + v];
        }
    }

    @Override
    public void save(Path modelDir) throws IOException {
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (Parameter p : parameters()) w.put(p.name(), p.value());
        Safetensors.write(modelDir.resolve("model.safetensors"), w);
        Files.writeString(modelDir.resolve("config.json"), "{\"model_type\": \"bag-of-words-test\", \"vocab_size\": " + VOCAB + "}");
    }
}
