package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * T5ForConditionalGeneration: shared embedding, encoder stack, decoder stack, lm_head. The
 * parameters live in one name → tensor map with Hugging Face names; the layers hold references
 * into it, so an optimizer that updates the map's tensors in place updates the model.
 */
public final class T5Model {
    /** What one teacher-forced forward pass produces. */
    public record Output(Tensor logits, Tensor encoderOutput, Tensor loss) {}

    private final T5Config config;
    private final Map<String, Tensor> parameters;
    private final Tensor shared;
    /** Packed copies of the decoder's step weights, made on the first host decode. */
    private final DecodeWeights decodeWeights = new DecodeWeights();
    private final Tensor lmHead;
    private final T5Stack encoder;
    private final T5Stack decoder;

    private T5Model(T5Config config, Map<String, Tensor> parameters) {
        this.config = config;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.shared = parameters.get(T5ParameterNames.SHARED);
        this.lmHead = config.tieWordEmbeddings() ? shared : parameters.get(T5ParameterNames.LM_HEAD);
        this.encoder = stack(false, config.numLayers());
        this.decoder = stack(true, config.numDecoderLayers());
    }

    /**
     * A model over the given parameters (HF names). Every expected parameter must be present with
     * its shape and nothing else may be (a checkpoint's copies of the shared embedding are settled
     * by {@link T5Checkpoint#load} first: see {@link CheckpointTensors}).
     */
    public static T5Model of(T5Config config, Map<String, Tensor> loaded) {
        Map<String, int[]> expected = T5ParameterNames.expected(config);
        Map<String, Tensor> params = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Tensor t = loaded.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
                continue;
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " has shape " + Arrays.toString(t.shape())
                        + " but the config implies " + Arrays.toString(e.getValue()));
            }
            params.put(e.getKey(), t);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.size() + " parameter(s) missing from the checkpoint, e.g. "
                    + String.join(", ", missing.subList(0, Math.min(3, missing.size()))));
        }
        for (String name : loaded.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException("unexpected parameter " + name + " in the checkpoint (not part of a "
                        + config.feedForward().jsonName + " T5 with " + config.numLayers() + "+" + config.numDecoderLayers()
                        + " layers" + (config.tieWordEmbeddings() ? ", lm_head tied" : "") + ")");
            }
        }
        return new T5Model(config, params);
    }

    public T5Config config() {
        return config;
    }

    /** Every trainable parameter by HF name (the tied lm_head is the shared embedding, listed once). */
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /** Whether the weights live on a device (OpenCL): its decodes take one position per step. */
    public boolean onDevice() {
        return shared.isOnDevice();
    }

    Tensor shared() {
        return shared;
    }

    T5Stack decoder() {
        return decoder;
    }

    /**
     * Gradient checkpointing on or off (transformers' {@code gradient_checkpointing_enable()}):
     * passes with autograd on keep only each block's inputs and recompute the block in the
     * reverse pass — activation memory of about one block instead of all, for one more forward
     * of the blocks. Same losses and gradients; inference is unaffected.
     */
    public void gradientCheckpointing(boolean on) {
        encoder.gradientCheckpointing = on;
        decoder.gradientCheckpointing = on;
    }

    public boolean gradientCheckpointing() {
        return encoder.gradientCheckpointing;
    }

    // ------------------------------------------------------------------ forward

    /** Encoder output [batch, length, d_model] for padded ids and their 0/1 mask. */
    public Tensor encode(int[] inputIds, int[] attentionMask, int batch, int length, Dropout dropout) {
        Tensor embedded = Ops.embedding(shared, inputIds, batch, length);
        return encoder.forward(embedded, AttentionMasks.padding(attentionMask, batch, length), null, null, dropout);
    }

    /** Decoder output [batch, targetLength, d_model], causal, attending to the encoder output. */
    public Tensor decode(int[] decoderInputIds, int batch, int targetLength, Tensor encoderOutput,
                         int[] encoderMask, Dropout dropout) {
        Tensor embedded = Ops.embedding(shared, decoderInputIds, batch, targetLength);
        Tensor crossMask = AttentionMasks.padding(encoderMask, batch, encoderOutput.dim(1));
        return decoder.forward(embedded, AttentionMasks.causal(targetLength), encoderOutput, crossMask, dropout);
    }

    /** Vocabulary logits [.., vocab] from decoder output; the tied layout rescales by d_model^-0.5 first. */
    public Tensor logits(Tensor decoderOutput) {
        return logits(decoderOutput, Projection.PLAIN);
    }

    Tensor logits(Tensor decoderOutput, Projection projection) {
        return projection.apply(logitsInput(decoderOutput), lmHead);
    }

    /** What the lm_head multiplies: the decoder output, rescaled by d_model^-0.5 in the tied layout. */
    Tensor logitsInput(Tensor decoderOutput) {
        return config.scaleDecoderOutputs() ? Ops.scale(decoderOutput, outputScale()) : decoderOutput;
    }

    /** The factor {@link #logitsInput} applies: d_model^-0.5 in the tied layout, else 1. */
    float outputScale() {
        return config.scaleDecoderOutputs() ? (float) Math.pow(config.dModel(), -0.5) : 1f;
    }

    /** The lm_head weight [vocab, d_model] (the shared embedding in the tied layout). */
    Tensor lmHead() {
        return lmHead;
    }

    DecodeWeights decodeWeights() {
        return decodeWeights;
    }

    /** How a host decode of {@code rows} rows multiplies by the decoder's weights (see {@link DecodeWeights}). */
    Projection decodeProjection(int rows) {
        java.util.List<Tensor> weights = new java.util.ArrayList<>();
        java.util.List<Tensor> sparseInputs = new java.util.ArrayList<>();
        for (T5Block block : decoder.blocks) {
            block.stepWeights(weights);
            block.sparseInputWeights(sparseInputs);
        }
        weights.add(lmHead);
        return decodeWeights.forDecoding(weights, rows == 1 ? sparseInputs : java.util.List.of(), rows);
    }

    /** Teacher-forced pass: logits, encoder output and mean token cross-entropy (labels -100 skipped). */
    public Output forward(Seq2SeqBatch batch, Dropout dropout) {
        return forward(batch, dropout, 0f);
    }

    /** As above, the loss with label smoothing ε ({@link Ops#crossEntropy(Tensor, int[], int, float)}). */
    public Output forward(Seq2SeqBatch batch, Dropout dropout, float labelSmoothing) {
        Tensor enc = encode(batch.inputIds(), batch.attentionMask(), batch.batch(), batch.sourceLength(), dropout);
        Tensor logits = logits(teacherForced(batch, enc, dropout));
        Tensor loss = Ops.crossEntropy(logits, batch.labels(), Seq2SeqBatch.IGNORE, labelSmoothing);
        return new Output(logits, enc, loss);
    }

    /**
     * The training loss alone: as {@link #forward(Seq2SeqBatch, Dropout, float)}'s, with the logits
     * kept from the caller so their array can hold their gradient in the reverse pass ({@link
     * Ops#crossEntropyConsumingLogits}: one array of batch × target × vocabulary floats less a step).
     */
    public Tensor trainingLoss(Seq2SeqBatch batch, Dropout dropout, float labelSmoothing) {
        Tensor enc = encode(batch.inputIds(), batch.attentionMask(), batch.batch(), batch.sourceLength(), dropout);
        return Ops.crossEntropyConsumingLogits(logits(teacherForced(batch, enc, dropout)), batch.labels(), Seq2SeqBatch.IGNORE,
                labelSmoothing);
    }

    /** The decoder output over the batch's labels shifted right behind the start token (teacher forcing). */
    private Tensor teacherForced(Seq2SeqBatch batch, Tensor enc, Dropout dropout) {
        int[] decIn = batch.decoderInputIds(config.decoderStartTokenId(), config.padTokenId());
        return decode(decIn, batch.batch(), batch.targetLength(), enc, batch.attentionMask(), dropout);
    }

    /**
     * Starts an incremental decode over an encoder output [batch, S, D] with its padding mask
     * [batch × S]; each batch row is repeated {@code copiesPerRow} times (beams of one input are
     * consecutive rows). Use under {@code Autograd.noGrad()}.
     */
    public IncrementalDecoder startDecoding(Tensor encoderOutput, int[] encoderMask, int copiesPerRow) {
        return startDecoding(encoderOutput, encoderMask, copiesPerRow, 64);
    }

    /** Most decoder positions a decode's caches are made for before it reaches them. */
    static final int PREALLOCATED_POSITIONS = 1025;

    /** As above, with room for {@code capacity} decoder positions before the caches grow. */
    public IncrementalDecoder startDecoding(Tensor encoderOutput, int[] encoderMask, int copiesPerRow, int capacity) {
        // The hint is max_new_tokens + 1, an upper bound most summaries stop far below: room for more
        // than PREALLOCATED_POSITIONS is made only when a decode gets there (the caches double), so a
        // large max_new_tokens does not reserve gigabytes up front.
        capacity = Math.min(capacity, PREALLOCATED_POSITIONS);
        int batch = encoderOutput.dim(0);
        int length = encoderOutput.dim(1);
        int[] mask = encoderMask;
        int[] sources = new int[batch * copiesPerRow];
        if (copiesPerRow > 1) {
            mask = new int[batch * copiesPerRow * length];
            for (int i = 0; i < sources.length; i++) {
                sources[i] = i / copiesPerRow;
                System.arraycopy(encoderMask, sources[i] * length, mask, i * length, length);
            }
        }
        Tensor crossMask = AttentionMasks.padding(mask, sources.length, length);
        if (!shared.isOnDevice()) {
            // The host decoder projects cross keys/values once per input and lets its copies read them.
            return new IncrementalDecoder(this, encoderOutput, copiesPerRow, crossMask, capacity);
        }
        Tensor rows = copiesPerRow > 1 ? DecoderCache.gatherRows(encoderOutput, sources) : encoderOutput;
        return new IncrementalDecoder(this, rows, 1, crossMask, capacity);
    }

    // ------------------------------------------------------------------ assembly

    private T5Stack stack(boolean isDecoder, int layers) {
        String name = isDecoder ? "decoder" : "encoder";
        float eps = config.layerNormEpsilon();
        List<T5Block> blocks = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            String b = T5ParameterNames.block(name, i);
            T5Attention self = attention(b + "0.SelfAttention.");
            Tensor crossNorm = null;
            T5Attention cross = null;
            int ff = 1;
            if (isDecoder) {
                cross = attention(b + "1.EncDecAttention.");
                crossNorm = p(b + "1.layer_norm.weight");
                ff = 2;
            }
            String f = b + ff + ".DenseReluDense.";
            Tensor ffNorm = p(b + ff + ".layer_norm.weight");
            T5Config.Activation act = config.feedForward().activation();
            T5LayerFF feedForward = config.feedForward().gated()
                    ? T5LayerFF.gated(ffNorm, act, p(f + "wi_0.weight"), p(f + "wi_1.weight"), p(f + "wo.weight"), eps)
                    : T5LayerFF.plain(ffNorm, act, p(f + "wi.weight"), p(f + "wo.weight"), eps);
            blocks.add(new T5Block(p(b + "0.layer_norm.weight"), self, crossNorm, cross, feedForward, eps));
        }
        Tensor table = p(T5ParameterNames.block(name, 0) + "0.SelfAttention.relative_attention_bias.weight");
        return new T5Stack(isDecoder, blocks, table, p(name + ".final_layer_norm.weight"),
                config.relativeAttentionMaxDistance(), eps);
    }

    private T5Attention attention(String prefix) {
        return new T5Attention(p(prefix + "q.weight"), p(prefix + "k.weight"), p(prefix + "v.weight"),
                p(prefix + "o.weight"), config.numHeads(), config.dKv());
    }

    private Tensor p(String name) {
        Tensor t = parameters.get(name);
        if (t == null) throw new IllegalStateException("no parameter " + name);
        return t;
    }
}
