package dev.resumo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties on seeded random text (combining marks, CJK, emoji, control characters, whitespace
 * runs, lone surrogates, special tokens): encoding and decoding never throw, ids stay in the
 * vocabulary, and where no piece is unknown, decode(encode(x)) gives back the normalized x.
 */
class PropertyTest {
    private static final int CASES = 3000;

    @Test
    void smallModelWithByteFallbackRoundTripsEverything() {
        T5Tokenizer tok = T5Tokenizer.load(ReferenceRows.resourcePath("small/spiece.model"));
        int roundTrips = check(tok, new Random(7));
        // Byte fallback spells every character the model lacks as bytes, so no text is unknown.
        assertEquals(CASES, roundTrips, "every text should round-trip through byte fallback");
    }

    @Test
    void ptt5RoundTripsWhereEveryCharacterIsKnown() {
        T5Tokenizer tok = T5Tokenizer.load(SharedFiles.ptt5Spiece());
        int roundTrips = check(tok, new Random(11));
        assertTrue(roundTrips > CASES / 4, "too few texts without unknown characters: " + roundTrips);
    }

    /** Checks every property on CASES random texts; returns how many round-trips were checked. */
    private static int check(T5Tokenizer tok, Random rng) {
        SentencePieceProcessor spm = tok.sentencePiece();
        int unk = spm.model().trainerSpec().unkId();
        int roundTrips = 0;
        for (int i = 0; i < CASES; i++) {
            String text = RandomText.next(rng, 12, true);
            int[] ids = tok.encode(text);
            assertEquals(tok.eosId(), ids[ids.length - 1], "</s> last");
            for (int id : ids) assertTrue(id >= 0 && id < tok.vocabSize(), "id in range");
            tok.decode(ids);
            tok.pieces(ids);
            int[] plain = spm.encode(text);
            String decoded = spm.decode(plain);
            if (Arrays.stream(plain).noneMatch(id -> id == unk)) {
                assertEquals(expectedText(spm.normalize(text), spm.model()), decoded, () -> "round trip of " + Arrays.toString(text.codePoints().toArray()));
                roundTrips++;
            }
        }
        System.out.printf("%s: %d random texts, %d round-trips checked%n", tok.sentencePiece().model().size() + "-piece model", CASES, roundTrips);
        return roundTrips;
    }

    /** What decoding should give for a normalized text: ▁ back to spaces, the dummy prefix gone. */
    private static String expectedText(String normalized, SentencePieceModel model) {
        String s = normalized.replace('\u2581', ' ');
        if (model.normalizerSpec().addDummyPrefix() && s.startsWith(" ")) s = s.substring(1);
        return s;
    }
}
