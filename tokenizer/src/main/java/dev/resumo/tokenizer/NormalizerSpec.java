package dev.resumo.tokenizer;

/**
 * How SentencePiece normalizes text before segmentation.
 *
 * @param name                   the rule set's name, e.g. {@code nmt_nfkc} (informational)
 * @param precompiledCharsmap    the compiled replacement rules (a double-array trie and the
 *                               replacement strings); empty means identity
 * @param addDummyPrefix         put a space before the text, so the first word looks like every other
 * @param removeExtraWhitespaces drop leading and trailing spaces and collapse runs of spaces
 * @param escapeWhitespaces      write spaces as {@code ▁} (U+2581)
 */
public record NormalizerSpec(String name, byte[] precompiledCharsmap, boolean addDummyPrefix,
                             boolean removeExtraWhitespaces, boolean escapeWhitespaces) {}
