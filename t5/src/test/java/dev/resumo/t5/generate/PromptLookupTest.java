package dev.resumo.t5.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Where prompt lookup takes its drafts from: transformers' rule (longest n-gram first, first match). */
class PromptLookupTest {
    private static int[] draft(int[] source, int[] seq, int max) {
        int[] out = new int[max];
        int n = PromptLookup.draft(source, seq, seq.length, max, out);
        return Arrays.copyOf(out, n);
    }

    @Test
    void theLastTwoTokensFirstOccurrenceGivesTheDraft() {
        int[] source = {5, 9, 40, 7, 9, 41, 42, 43, 1};
        // (7, 9) occurs at 3; 9 alone occurs first at 1, but single tokens are not matched.
        assertArrayEquals(new int[] {41, 42, 43}, draft(source, new int[] {0, 7, 9}, 3));
        assertArrayEquals(new int[] {41, 42}, draft(source, new int[] {0, 7, 9}, 2), "at most max tokens");
        assertArrayEquals(new int[] {}, draft(source, new int[] {0, 3, 9}, 3), "no pair (3, 9): no draft");
        assertArrayEquals(new int[] {40, 7, 9}, draft(new int[] {9, 9, 40, 7, 9, 9, 2}, new int[] {0, 9, 9}, 3),
                "the first occurrence");
    }

    @Test
    void theSourceEndsTheDraftAndTheStartTokenIsNeverMatched() {
        int[] source = {0, 8, 6, 1};
        assertArrayEquals(new int[] {6, 1}, draft(source, new int[] {0, 4, 0, 8}, 5), "the draft stops at the source's end");
        assertArrayEquals(new int[] {}, draft(source, new int[] {0, 8}, 5), "one token generated: no pair yet");
        assertArrayEquals(new int[] {}, draft(source, new int[] {0, 6, 1}, 5), "a match with nothing after it");
    }

    @Test
    void fallsBackToTheSummarysOwnEarlierTokens() {
        int[] source = {20, 21, 1};
        assertArrayEquals(new int[] {5, 3, 4}, draft(source, new int[] {0, 3, 4, 5, 3, 4}, 3),
                "pair (3, 4) at 1, not its own place at the end");
        assertArrayEquals(new int[] {5, 3}, draft(source, new int[] {0, 3, 4, 5, 3, 4}, 2));
        assertEquals(0, draft(source, new int[] {0, 7, 8, 7}, 3).length, "no earlier pair");
    }
}
