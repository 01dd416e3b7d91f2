package dev.resumo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batch encoding (truncation keeps </s>, padding, mask), the empty text, and out-of-range ids. */
class BatchAndEdgeCasesTest {
    private final T5Tokenizer tok = T5Tokenizer.load(ReferenceRows.resourcePath("small/spiece.model"));

    @Test
    void batchTruncatesKeepingEosLastAndPadsToTheLongestRow() {
        String longText = "o presidente disse que o governo não fará a reforma do imposto";
        String shortText = "casa";
        int[] full = tok.encode(longText);
        int[] small = tok.encode(shortText);
        int max = 6;
        EncodedBatch b = tok.encodeBatch(List.of(longText, shortText, ""), max, true);
        assertEquals(max, b.width());
        int[] expectedLong = Arrays.copyOf(full, max);
        expectedLong[max - 1] = tok.eosId();
        assertArrayEquals(expectedLong, b.ids()[0]);
        int[] expectedShort = new int[max];
        Arrays.fill(expectedShort, tok.padId());
        System.arraycopy(small, 0, expectedShort, 0, small.length);
        assertArrayEquals(expectedShort, b.ids()[1]);
        assertArrayEquals(new int[] {tok.eosId(), 0, 0, 0, 0, 0}, b.ids()[2]);
        assertArrayEquals(new int[] {max, small.length, 1}, b.lengths());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, b.attentionMask()[0]);
        assertEquals(small.length, Arrays.stream(b.attentionMask()[1]).sum());
        assertEquals(1, Arrays.stream(b.attentionMask()[2]).sum());
    }

    @Test
    void batchWithoutEosCutsPlainly() {
        String text = "o presidente disse que o governo não fará a reforma";
        EncodedBatch b = tok.encodeBatch(List.of(text), 4, false);
        assertArrayEquals(Arrays.copyOf(tok.encode(text, false), 4), b.ids()[0]);
        assertThrows(IllegalArgumentException.class, () -> tok.encodeBatch(List.of(text), 0, true));
    }

    @Test
    void emptyAndBlankTextsEncodeToEosAlone() {
        assertArrayEquals(new int[] {tok.eosId()}, tok.encode(""));
        assertArrayEquals(new int[] {tok.eosId()}, tok.encode(" \t\n "));
        assertArrayEquals(new int[0], tok.encode("", false));
        assertEquals("", tok.decode(new int[] {tok.eosId(), tok.padId()}));
    }

    @Test
    void idsOutsideTheVocabularyAreReportedNotIgnored() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> tok.decode(new int[] {5, tok.vocabSize()}));
        assertEquals("id " + tok.vocabSize() + " is outside the vocabulary (0.." + (tok.vocabSize() - 1) + ")", e.getMessage());
        assertThrows(TokenizerException.class, () -> tok.pieces(new int[] {-1}));
    }

    @Test
    void extraIdsAreTheTopHundredIdsAndDecodeSkipsThem() {
        int base = tok.sentencePiece().model().size();
        assertEquals(base + 100, tok.vocabSize());
        int[] ids = tok.encode("<extra_id_0>casa<extra_id_99>", false);
        assertEquals(base + 99, ids[0]);
        assertEquals(base, ids[ids.length - 1]);
        assertEquals("casa", tok.decode(ids));
    }
}
