package dev.resumo.tokenizer;

/**
 * How the Hugging Face pipeline around the unigram model behaves, as its tokenizer.json says.
 *
 * @param prepend      when Metaspace puts a ▁ before a word
 * @param byteFallback the Unigram model spells unknown text as {@code <0xNN>} pieces (transformers'
 *                     T5 converter leaves this off even for byte-fallback SentencePiece models)
 * @param decodeBytes  the decoder turns {@code <0xNN>} pieces back into bytes (a ByteFallback decoder)
 * @param stripLeft    added tokens that swallow the whitespace before them ({@code lstrip})
 * @param stripRight   added tokens that swallow the whitespace after them ({@code rstrip})
 */
record HfOptions(HfSegmentEncoder.Prepend prepend, boolean byteFallback, boolean decodeBytes,
                 java.util.Set<String> stripLeft, java.util.Set<String> stripRight) {}
