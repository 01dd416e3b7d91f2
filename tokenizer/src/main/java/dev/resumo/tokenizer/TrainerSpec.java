package dev.resumo.tokenizer;

/**
 * The parts of SentencePiece's {@code TrainerSpec} that decide how a model encodes.
 *
 * @param modelType               1 unigram, 2 BPE, 3 word, 4 char (only unigram is supported)
 * @param unkId                   id of {@code <unk>}
 * @param bosId                   id of {@code <s>}, or -1 when the model has none
 * @param eosId                   id of {@code </s>}, or -1
 * @param padId                   id of {@code <pad>}, or -1
 * @param byteFallback            unknown characters become their UTF-8 bytes as {@code <0xNN>} pieces
 * @param treatWhitespaceAsSuffix the {@code ▁} goes at the end of words instead of the start
 * @param unkSurface              what decoding writes for {@code <unk>}
 */
public record TrainerSpec(int modelType, int unkId, int bosId, int eosId, int padId, boolean byteFallback,
                          boolean treatWhitespaceAsSuffix, String unkSurface) {
    static final int UNIGRAM = 1;
}
