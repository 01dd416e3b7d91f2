package dev.resumo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ids and decoded text against the Python sentencepiece and transformers libraries on fixed and
 * random strings (random Unicode: combining marks, CJK, emoji, control characters, whitespace runs,
 * extra ids), for a tiny model trained by weights-tools/make_tokenizer_fixtures.py (byte fallback,
 * user-defined pieces, custom normalization rules) loaded from spiece.model and from its
 * transformers-made tokenizer.json, and for the PTT5 vocabulary. Tolerance: none, exact ids and text.
 */
class ReferenceIdsTest {
    private static final String SMALL = "small/spiece.model";
    private static final String SMALL_JSON = "small/tokenizer.json";

    @Test
    void smallModelFromSpieceMatchesSentencePieceAndTransformers() throws Exception {
        T5Tokenizer tok = T5Tokenizer.load(ReferenceRows.resourcePath(SMALL));
        List<String> failures = compare("small spiece.model", ReferenceRows.resource("small_refs.jsonl"), tok, true);
        assertEquals(List.of(), failures.subList(0, Math.min(8, failures.size())));
    }

    @Test
    void smallModelFromTokenizerJsonMatchesTransformersAndTheSpieceLoader() throws Exception {
        T5Tokenizer fromJson = T5Tokenizer.load(ReferenceRows.resourcePath(SMALL_JSON));
        T5Tokenizer fromSpiece = T5Tokenizer.load(ReferenceRows.resourcePath(SMALL));
        ReferenceRows refs = ReferenceRows.resource("small_refs.jsonl");
        List<String> failures = compare("small tokenizer.json", refs, fromJson, false);
        int same = 0;
        for (JsonNode row : refs.rows()) {
            String text = row.get("text").asText();
            int[] ids = fromJson.encode(text);
            assertArrayEquals(fromSpiece.encode(text), ids, () -> "json vs spiece loader on " + text);
            assertEquals(fromSpiece.decode(ids), fromJson.decode(ids));
            same++;
        }
        System.out.printf("small tokenizer.json vs spiece.model loader: %d/%d rows identical%n", same, refs.rows().size());
        assertEquals(fromSpiece.vocabSize(), fromJson.vocabSize());
        assertEquals(List.of(), failures.subList(0, Math.min(8, failures.size())));
    }

    @Test
    void addedTokensThatStripWhitespaceMatchTokenizers() throws Exception {
        T5Tokenizer tok = T5Tokenizer.load(ReferenceRows.resourcePath("small/tokenizer_strip.json"));
        List<String> failures = compare("small tokenizer_strip.json (lstrip/rstrip)", ReferenceRows.resource("small_strip_refs.jsonl"), tok, false);
        assertEquals(List.of(), failures.subList(0, Math.min(8, failures.size())));
    }

    @Test
    void ptt5RandomStringsMatchSentencePieceAndTransformers() throws Exception {
        T5Tokenizer tok = SharedFiles.ptt5();
        List<String> failures = compare("PTT5 random", ReferenceRows.resource("ptt5_random_refs.jsonl"), tok, true);
        assertEquals(List.of(), failures.subList(0, Math.min(8, failures.size())));
    }

    /** Compares every row; prints the match counts; returns one line per mismatch. */
    static List<String> compare(String label, ReferenceRows refs, T5Tokenizer tok, boolean checkSentencePiece) {
        List<String> failures = new ArrayList<>();
        int rows = 0, spmIds = 0, spmText = 0, hfIds = 0, hfText = 0;
        for (JsonNode row : refs.rows()) {
            rows++;
            String text = row.get("text").asText();
            int[] hf = Ptt5GoldenParityTest.ints(row.get("hf_ids"));
            if (java.util.Arrays.equals(hf, tok.encode(text))) hfIds++;
            else failures.add(label + " hf_ids row " + rows + " " + quote(text) + " got " + java.util.Arrays.toString(tok.encode(text)) + " want " + java.util.Arrays.toString(hf));
            if (row.get("hf_decoded").asText().equals(tok.decode(hf))) hfText++;
            else failures.add(label + " hf_decoded row " + rows + " " + quote(text) + " got " + quote(tok.decode(hf)) + " want " + quote(row.get("hf_decoded").asText()));
            if (checkSentencePiece) {
                int[] spm = Ptt5GoldenParityTest.ints(row.get("spm_ids"));
                if (java.util.Arrays.equals(spm, tok.sentencePiece().encode(text))) spmIds++;
                else failures.add(label + " spm_ids row " + rows + " " + quote(text) + " got " + java.util.Arrays.toString(tok.sentencePiece().encode(text)) + " want " + java.util.Arrays.toString(spm));
                if (row.get("spm_decoded").asText().equals(tok.sentencePiece().decode(spm))) spmText++;
                else failures.add(label + " spm_decoded row " + rows + " " + quote(text) + " got " + quote(tok.sentencePiece().decode(spm)) + " want " + quote(row.get("spm_decoded").asText()));
            }
        }
        System.out.printf("%s: %d rows; hf_ids %d, hf_decoded %d%s%n", label, rows, hfIds, hfText,
                checkSentencePiece ? ", spm_ids " + spmIds + ", spm_decoded " + spmText : "");
        assertTrue(rows > 0, "reference file is empty");
        return failures;
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c < 0x20 || (c >= 0x7F && c < 0xA0)) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
