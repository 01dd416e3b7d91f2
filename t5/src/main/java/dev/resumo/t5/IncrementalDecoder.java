package dev.resumo.t5;

import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.cpu.ScreenedLogits;

/**
 * Decodes one position at a time for every row (a batch item, or a beam of one), reusing the
 * encoder output and the keys/values of earlier positions, which stay where they were written
 * (see {@link DecoderCache}). Run it under {@code Autograd.noGrad()}: generation records nothing
 * on the tape.
 */
public final class IncrementalDecoder {
    private final T5Model model;
    private final T5Stack decoder;
    private final Tensor crossMask;
    private final Tensor crossMaskOnDevice;       // device weights: the mask, uploaded once
    private final DecoderCache cache;             // host weights: in-place cache, fused attention
    private final TensorDecoderCache deviceCache; // device weights: KvCache, fused kernels (null on the host)
    private final int rows;
    private final Projection projection;
    private int length;

    /**
     * @param encoderOutput [inputs, S, D]; decode row r reads input r / copiesPerRow (beams of one
     *     input are consecutive rows). Device models take copiesPerRow 1 (rows already repeated).
     * @param crossMask the padding mask per decode row
     */
    IncrementalDecoder(T5Model model, Tensor encoderOutput, int copiesPerRow, Tensor crossMask, int capacity) {
        this.model = model;
        this.decoder = model.decoder();
        this.crossMask = crossMask.contiguous();
        this.rows = encoderOutput.dim(0) * copiesPerRow;
        T5Config c = model.config();
        if (model.shared().isOnDevice()) {
            if (copiesPerRow != 1) throw new IllegalArgumentException("device decoding takes repeated rows");
            this.cache = null;
            this.projection = Projection.PLAIN;
            this.deviceCache = new TensorDecoderCache(decoder, c, encoderOutput, capacity);
            // Uploaded once: every step's cross-attention reads it (a host mask was uploaded per op).
            this.crossMaskOnDevice = this.crossMask.to(model.shared().backend());
            return;
        }
        this.crossMaskOnDevice = null;
        this.deviceCache = null;
        this.projection = model.decodeProjection(rows);
        this.cache = new DecoderCache(rows, c.numHeads() * c.dKv(), capacity, copiesPerRow, encoderOutput.dim(1));
        for (T5Block block : decoder.blocks) {
            T5Attention cross = block.crossAttention;
            cache.layers.add(new DecoderCache.Layer(rows, cache.capacity(), c.numHeads() * c.dKv(),
                    cross.project(encoderOutput, cross.k), cross.project(encoderOutput, cross.v)));
        }
    }

    /** Decoder positions consumed so far. */
    public int length() {
        return length;
    }

    public int rows() {
        return rows;
    }

    /**
     * Feeds one token per row (position {@link #length()}) and returns the next-token logits
     * [rows, vocab].
     */
    public Tensor step(int[] tokens) {
        checkTokens(tokens);
        if (deviceCache != null) return deviceStep(Ops.embedding(model.shared(), tokens, rows, 1));
        return logitsOf(stepHidden(tokens));
    }

    /**
     * Host decoders: feeds one token per row like {@link #step} and returns what the lm_head
     * multiplies, [rows, 1, d_model]; {@code logitsOf} of it is what {@code step} returns, and
     * {@link #screen()} picks greedy tokens from it without the float32 lm_head.
     */
    public Tensor stepHidden(int[] tokens) {
        checkTokens(tokens);
        if (deviceCache != null) throw new IllegalStateException("stepHidden: a device decoder's steps go through step()");
        Tensor x = Ops.embedding(model.shared(), tokens, rows, 1);
        // The new query at position `length` sees keys 0..length: no causal mask is needed.
        Tensor selfBias = decoder.positionBias(length, 1, length + 1).contiguous();
        cache.claim(length);
        for (int i = 0; i < decoder.blocks.size(); i++) {
            T5Block block = decoder.blocks.get(i);
            DecoderCache.Layer layer = cache.layers.get(i);
            x = block.stepSelfAttention(x, cache, layer, length, selfBias, projection);
            x = block.stepCrossAttention(x, cache, layer, crossMask, projection);
            x = block.feedForward.forward(x, Dropout.OFF, projection);
        }
        length++;
        return model.logitsInput(decoder.finalNorm(x));
    }

    /**
     * A one-row host decoder fed several tokens at once, positions {@link #length()} onwards (the
     * last chosen token and draft tokens after it, prompt lookup decoding): returns what the lm_head
     * multiplies at each, [T, 1, d_model] — row j the bits {@link #stepHidden} gives for token j fed
     * alone after tokens 0..j-1 (every op here computes a row's values from that row and the cache
     * only). All T positions are consumed; {@link #rewind} drops those of rejected drafts.
     */
    public Tensor stepHiddenPositions(int[] tokens) {
        if (deviceCache != null || rows != 1) {
            throw new IllegalStateException("several positions per pass: one-row host decoders only (rows " + rows + ")");
        }
        int count = tokens.length;
        if (count < 1) throw new IllegalArgumentException("stepHiddenPositions: no tokens");
        Tensor x = Ops.embedding(model.shared(), tokens, count, 1);
        Tensor[] biases = new Tensor[count];
        for (int j = 0; j < count; j++) {
            biases[j] = decoder.positionBias(length + j, 1, length + j + 1).contiguous();
            cache.claim(length + j);
        }
        for (int i = 0; i < decoder.blocks.size(); i++) {
            T5Block block = decoder.blocks.get(i);
            DecoderCache.Layer layer = cache.layers.get(i);
            x = block.stepSelfAttentionPositions(x, cache, layer, length, biases, projection);
            x = block.stepCrossAttentionPositions(x, cache, layer, crossMask, projection);
            x = block.feedForward.forward(x, Dropout.OFF, projection);
        }
        length += count;
        return model.logitsInput(decoder.finalNorm(x));
    }

    /**
     * Forgets positions from {@code length} on (draft tokens the model did not confirm): the next
     * step writes its keys/values over theirs.
     */
    public void rewind(int length) {
        if (length < 0 || length > this.length) {
            throw new IllegalArgumentException("rewind to " + length + ": decoder holds " + this.length + " positions");
        }
        this.length = length;
    }

    /** The next-token logits [rows, vocab] from {@link #stepHidden}'s output (the decode's own lm_head product). */
    public Tensor logitsOf(Tensor hidden) {
        Tensor logits = projection.apply(hidden, model.lmHead());
        return Ops.reshape(logits, rows, logits.dim(logits.rank() - 1));
    }

    /**
     * The screened lm_head for greedy decoding on the host ({@link ScreenedLogits}), or null (device
     * decoders, decodes whose lm_head product is not the panels' one FMA chain per logit, screening
     * turned off): then take argmax over {@link #step}'s logits.
     */
    public ScreenedLogits screen() {
        if (deviceCache != null || !DecodeWeights.panelsFor(rows)) return null;
        return model.decodeWeights().screenFor(model.lmHead(), rows);
    }

    private void checkTokens(int[] tokens) {
        if (tokens.length != rows) throw new IllegalArgumentException("step: " + tokens.length + " tokens for " + rows + " rows");
    }

    /**
     * The blocks pass the residual stream itself (see {@link T5Block#step}); the final norm and the
     * lm_head's input scale (the tied layout's d_model^-0.5: {@link T5Model#logitsInput}) are
     * computed by the lm_head's product, as the blocks' norms are by theirs.
     */
    private Tensor deviceStep(Tensor x) {
        Tensor biasByDistance = deviceCache.biasByDistance(length);
        for (int i = 0; i < decoder.blocks.size(); i++) {
            x = decoder.blocks.get(i).step(x, deviceCache, i, length, biasByDistance, crossMaskOnDevice);
        }
        length++;
        Tensor logits = Ops.rmsNormLinear(x, decoder.finalNorm, model.config().layerNormEpsilon(), model.outputScale(),
                model.lmHead());
        return Ops.reshape(logits, rows, logits.dim(2));
    }

    /**
     * Makes row i continue from what row {@code sources[i]} decoded so far (beam search): on the
     * host by index, no keys or values copied; on a device one gather of the rows of every layer
     * (see {@link dev.resumo.engine.KvCache}). The cross-attention cache is not touched: beams only
     * move within their own batch item, whose encoder rows are identical.
     */
    public void reorder(int[] sources) {
        if (sources.length != rows) throw new IllegalArgumentException("reorder: " + sources.length + " rows for " + rows);
        for (int s : sources) {
            if (s < 0 || s >= rows) throw new IllegalArgumentException("reorder: source row " + s + " outside 0.." + (rows - 1));
        }
        if (deviceCache != null) {
            deviceCache.self.reorder(sources);
            return;
        }
        cache.reorder(sources, length);
    }
}
