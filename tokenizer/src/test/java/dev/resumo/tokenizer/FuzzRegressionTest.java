package dev.resumo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inputs weights-tools/fuzz_tokenizer_parity.py found Resumo tokenizing differently from sentencepiece
 * 0.2.3 / transformers 5.24, with reference ids from weights-tools/make_tokenizer_fuzz_regressions.py:
 * marks that transformers glues into the grapheme before them (Thai/Lao SARA AM, Unicode 17 marks)
 * and long words whose segmentations tie exactly in float arithmetic. Tolerance: none.
 */
class FuzzRegressionTest {
    @Test
    void graphemeGluedMarksOnTheSmallModel() throws Exception {
        T5Tokenizer tok = T5Tokenizer.load(ReferenceRows.resourcePath("small/spiece.model"));
        List<String> failures = ReferenceIdsTest.compare("small fuzz", ReferenceRows.resource("small_fuzz_refs.jsonl"), tok, true);
        assertEquals(List.of(), failures.subList(0, Math.min(8, failures.size())));
    }

    @Test
    void graphemeGluedMarksAndFloatTiesOnPtt5() throws Exception {
        T5Tokenizer tok = SharedFiles.ptt5();
        List<String> failures = ReferenceIdsTest.compare("PTT5 fuzz", ReferenceRows.resource("ptt5_fuzz_refs.jsonl"), tok, true);
        assertEquals(List.of(), failures.subList(0, Math.min(8, failures.size())));
    }
}
