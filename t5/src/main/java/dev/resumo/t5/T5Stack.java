package dev.resumo.t5;

import dev.resumo.engine.Autograd;
import dev.resumo.engine.Ops;
import dev.resumo.engine.ResidualNorm;
import dev.resumo.engine.StepBuffers;
import dev.resumo.engine.Tensor;
import java.util.List;
import java.util.function.Supplier;

/**
 * The encoder or the decoder: dropout on the embeddings, the blocks, a final RMS norm and dropout.
 * The relative position bias is computed once per forward pass from the first block's table
 * (bidirectional buckets in the encoder, causal in the decoder) and shared by every block.
 */
final class T5Stack {
    final boolean isDecoder;
    final List<T5Block> blocks;
    final Tensor relativeBiasTable; // [num_buckets, heads], owned by block 0
    final Tensor finalNorm;
    private final int maxDistance;
    private final float eps;
    /**
     * Where a forward without autograd gets the pool its layers share; a supplier returning null
     * turns the reuse off (tests compare both ways and swap in a poisoning pool).
     */
    static volatile Supplier<StepBuffers> layerBuffers = StepBuffers::new;
    /**
     * Gradient checkpointing (transformers' {@code gradient_checkpointing_enable()}): with autograd
     * on, each block runs as a {@link Ops#checkpoint}, recomputed in the reverse pass.
     */
    volatile boolean gradientCheckpointing;

    T5Stack(boolean isDecoder, List<T5Block> blocks, Tensor relativeBiasTable, Tensor finalNorm,
            int maxDistance, float eps) {
        this.isDecoder = isDecoder;
        this.blocks = List.copyOf(blocks);
        this.relativeBiasTable = relativeBiasTable;
        this.finalNorm = finalNorm;
        this.maxDistance = maxDistance;
        this.eps = eps;
    }

    /**
     * @param embedded token embeddings [B, S, D]
     * @param selfMask additive mask: padding [B, 1, 1, S] (encoder) or causal [1, 1, S, S] (decoder)
     * @param encoder encoder output (decoder only)
     * @param crossMask encoder padding mask [B, 1, 1, S_enc] (decoder only)
     */
    Tensor forward(Tensor embedded, Tensor selfMask, Tensor encoder, Tensor crossMask, Dropout dropout) {
        int length = embedded.dim(1);
        Tensor selfBias = Ops.add(positionBias(0, length, length), selfMask);
        Tensor x = dropout.apply(embedded);
        ResidualNorm stream = new ResidualNorm(x, Ops.rmsNorm(x, normAfter(-1), eps));
        StepBuffers pool = reusesLayerArrays(x) ? layerBuffers.get() : null;
        if (pool != null) {
            stream = forwardReusingArrays(pool, stream, selfBias, encoder, crossMask, dropout);
        } else if (gradientCheckpointing && Autograd.isGradEnabled()) {
            for (int i = 0; i < blocks.size(); i++) stream = checkpointedBlock(i, stream, selfBias, encoder, crossMask, dropout);
        } else {
            for (int i = 0; i < blocks.size(); i++) {
                stream = blocks.get(i).forward(stream, normAfter(i), selfBias, encoder, crossMask, dropout);
            }
        }
        return dropout.apply(stream.normed());
    }

    /**
     * Block {@code i} as a checkpoint: only its inputs (the stream and its normed copy; the bias
     * and the encoder output are kept anyway) outlive the forward; the reverse pass recomputes the
     * block, replaying its dropout draws. The same numbers as {@link T5Block#forward} run directly.
     */
    private ResidualNorm checkpointedBlock(int i, ResidualNorm in, Tensor selfBias, Tensor encoder, Tensor crossMask,
                                           Dropout dropout) {
        T5Block block = blocks.get(i);
        Tensor nextNorm = normAfter(i);
        DropoutReplay replay = new DropoutReplay(dropout);
        Tensor[] out = Ops.checkpoint(x -> {
            ResidualNorm r = block.forward(new ResidualNorm(x[0], x[1]), nextNorm, x[2], x[3], crossMask, replay.nextPass());
            return new Tensor[] {r.sum(), r.normed()};
        }, in.sum(), in.normed(), selfBias, encoder);
        return new ResidualNorm(out[0], out[1]);
    }

    /** The norm the stream meets after block {@code i} (-1: before the first): the next block's, or the final one. */
    Tensor normAfter(int i) {
        return i + 1 < blocks.size() ? blocks.get(i + 1).selfNorm : finalNorm;
    }

    /**
     * Without autograd (generation's encoder, evaluation) nothing a block makes outlives it but its
     * output, so each block takes its intermediate arrays from a pool the previous block's went
     * back to ({@link StepBuffers}, one scope per block, the output escaped): the JVM zeroes fresh
     * arrays on the allocating thread while the workers wait, ~72 MB per PTT5-small block at
     * batch 8 × 256 tokens. The pool lives for this call only, so nothing is held between
     * generations. Not on a device (its buffers are not these arrays) and not inside another
     * scope (a training step's pool owns the thread then).
     */
    private ResidualNorm forwardReusingArrays(StepBuffers pool, ResidualNorm stream, Tensor selfBias, Tensor encoder,
                                              Tensor crossMask, Dropout dropout) {
        ResidualNorm escaped = null; // the last block's output: escaped from its scope, dead once the next has read it
        for (int i = 0; i < blocks.size(); i++) {
            try (StepBuffers.Scope scope = pool.open()) {
                ResidualNorm next = blocks.get(i).forward(stream, normAfter(i), selfBias, encoder, crossMask, dropout);
                if (escaped != null) {
                    // Back to the pool for the block after this one (readmitted before the escapes
                    // below, in case an op wrote its output into its input's array).
                    StepBuffers.readmit(escaped.sum().data());
                    StepBuffers.readmit(escaped.normed().data());
                }
                StepBuffers.escape(next.sum().data());
                StepBuffers.escape(next.normed().data());
                escaped = next;
                stream = next;
            }
        }
        return stream;
    }

    private boolean reusesLayerArrays(Tensor x) {
        return StepBuffers.enabled() && !Autograd.isGradEnabled() && !x.isOnDevice() && !StepBuffers.scopeOpen()
                && blocks.size() > 1;
    }

    /** [1, H, queries, keys] for queries starting at {@code queryStart} against keys 0..keys-1. */
    Tensor positionBias(int queryStart, int queries, int keys) {
        return RelativePosition.bias(relativeBiasTable, queryStart, queries, keys, !isDecoder, maxDistance);
    }

    /** [distances, H]: the decoder's bias of a key d positions before its query (incremental decoding). */
    Tensor positionBiasByDistance(int distances) {
        if (!isDecoder) throw new IllegalStateException("a bias by distance is the decoder's (the encoder's buckets have two signs)");
        return RelativePosition.decoderBiasByDistance(relativeBiasTable, distances, maxDistance);
    }

    Tensor finalNorm(Tensor x) {
        return Ops.rmsNorm(x, finalNorm, eps);
    }
}
