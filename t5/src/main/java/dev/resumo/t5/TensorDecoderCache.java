package dev.resumo.t5;

import dev.resumo.engine.KvCache;
import dev.resumo.engine.Ops;
import dev.resumo.engine.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * What an incremental decode keeps for a model whose weights live on a device backend (the host
 * path is {@link DecoderCache}): the self-attention keys and values in one {@link KvCache}
 * written in place, each layer's cross-attention keys and values [rows, S, heads·d_kv] projected
 * once from the encoder output, each layer's q, k, v weights stacked [3·heads·d_kv, D] so a step
 * projects all three with one GEMM ({@link T5Attention#stackedQkv}: kept with the model, remade
 * when a weight changes), and the decoder's position bias by distance [positions, heads],
 * gathered once (every step reads it backwards from its own position). Made per decode: it
 * follows whatever the parameters hold when generation starts.
 */
final class TensorDecoderCache {
    final KvCache self;
    private final List<Tensor> qkvWeights = new ArrayList<>();
    private final List<Tensor> crossKeys = new ArrayList<>();
    private final List<Tensor> crossValues = new ArrayList<>();
    private final T5Stack decoder;
    private Tensor biasByDistance;

    TensorDecoderCache(T5Stack decoder, T5Config config, Tensor encoderOutput, int capacity) {
        this.decoder = decoder;
        int rows = encoderOutput.dim(0);
        this.self = new KvCache(encoderOutput.backend(), decoder.blocks.size(), rows, config.numHeads(), config.dKv(),
                Math.max(1, capacity));
        for (T5Block block : decoder.blocks) {
            qkvWeights.add(block.selfAttention.stackedQkv()); // made once per model, not per decode
            T5Attention cross = block.crossAttention;
            crossKeys.add(cross.project(encoderOutput, cross.k));
            crossValues.add(cross.project(encoderOutput, cross.v));
        }
        this.biasByDistance = decoder.positionBiasByDistance(self.capacity());
    }

    Tensor qkvWeight(int layer) { return qkvWeights.get(layer); }
    Tensor crossKeys(int layer) { return crossKeys.get(layer); }
    Tensor crossValues(int layer) { return crossValues.get(layer); }

    /** The bias by distance covering a query at {@code position} (regathered, doubled, when a decode outgrows it). */
    Tensor biasByDistance(int position) {
        if (position >= biasByDistance.dim(0)) {
            biasByDistance = decoder.positionBiasByDistance(Math.max(position + 1, 2 * biasByDistance.dim(0)));
        }
        return biasByDistance;
    }
}
