package dev.resumo.tokenizer;

import java.util.List;

/**
 * The contents of a SentencePiece model: the vocabulary (piece, score, type per id) and the specs
 * that say how text is normalized and segmented. Read from {@code spiece.model} by
 * {@link ModelProtoReader} or from a Hugging Face {@code tokenizer.json} by {@link TokenizerJsonReader}.
 */
public record SentencePieceModel(List<String> pieces, float[] scores, PieceType[] types,
                                 TrainerSpec trainerSpec, NormalizerSpec normalizerSpec) {
    public int size() {
        return pieces.size();
    }
}
