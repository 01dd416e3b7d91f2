package dev.resumo.t5.generate;

/**
 * Draft tokens for prompt lookup decoding, as transformers' PromptLookupCandidateGenerator finds
 * them, with one difference: the last two tokens generated are looked up in the input text's
 * tokens, and the tokens following their first occurrence are the draft. A summary copies phrases
 * of its text, so once it has begun one, the text says how it goes on. Where the text has no such
 * pair, the summary's own earlier tokens are searched the same way (a repeated phrase). The draft
 * is only a guess: the model checks it (see {@link PromptLookupDecoding}).
 *
 * <p>Why pairs only (transformers falls back to single tokens): on the CPU a pass over d + 1
 * positions costs 1.4-3.3 one-token steps (PTT5-small, 2 threads: 2.15 ms for one position, 3.0
 * for two, 4.3 for five, 7.1 for eleven), so a wrong draft is not free. Replaying the lookup
 * against reference summaries (PTT5's spiece.model, drafts of up to 4 or 10 tokens, the adaptive
 * draft length of {@link PromptLookupDecoding}) and pricing each pass by those costs: on the demo
 * corpus, whose summaries copy their texts, single-token matches gave 1.52-1.54x and pairs only
 * 1.45-1.47x; on TeMário's abstracts, which rarely copy, single-token matches (common words, "de",
 * "a") drafted on most steps and made decoding 0.87-0.89x as fast, pairs only 1.00-1.02x.
 */
final class PromptLookup {
    /** Longest n-gram matched: transformers' max_matching_ngram_size default. */
    static final int MAX_NGRAM = 2;
    /** Shortest n-gram matched (transformers: 1; see the class comment). */
    static final int MIN_NGRAM = 2;

    private PromptLookup() {}

    /**
     * Writes up to {@code max} draft tokens into {@code out} and returns how many (0: no match).
     *
     * @param source the input's tokens (no padding)
     * @param seq the decoder sequence, {@code seq[0]} the decoder start token (never matched)
     * @param len tokens of seq in use
     */
    static int draft(int[] source, int[] seq, int len, int max, int[] out) {
        int generated = len - 1;
        for (int n = Math.min(MAX_NGRAM, generated); n >= MIN_NGRAM; n--) {
            int found = copyAfterMatch(source, source.length, seq, len - n, n, max, out);
            if (found > 0) return found;
            // The summary's own tokens before the n-gram itself (whose continuation is not known yet).
            found = copyAfterMatch(seq, len, seq, len - n, n, max, out, 1);
            if (found > 0) return found;
        }
        return 0;
    }

    private static int copyAfterMatch(int[] haystack, int end, int[] needle, int at, int n, int max, int[] out) {
        return copyAfterMatch(haystack, end, needle, at, n, max, out, 0);
    }

    /**
     * The tokens after the first occurrence of needle[at..at+n) in haystack[from..end) that has at
     * least one token after it (before end), at most max of them.
     */
    private static int copyAfterMatch(int[] haystack, int end, int[] needle, int at, int n, int max, int[] out, int from) {
        for (int i = from; i + n < end; i++) {
            boolean match = true;
            for (int t = 0; t < n && match; t++) match = haystack[i + t] == needle[at + t];
            if (!match) continue;
            int count = Math.min(max, end - (i + n));
            System.arraycopy(haystack, i + n, out, 0, count);
            return count;
        }
        return 0;
    }
}
