package dev.resumo.train.rouge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizationTest {
    @Test
    void ptKeepsAccentedWordsThatRougeScoreBreaks() {
        String text = "Não é verdade.";
        assertEquals(List.of("não", "é", "verdade"), Tokenization.PT.newTokenizer(false).tokenize(text));
        // rouge_score's [a-z0-9] tokenizer splits "não" at the "ã" and drops "é" entirely.
        assertEquals(List.of("n", "o", "verdade"), Tokenization.ROUGE_SCORE.newTokenizer(false).tokenize(text));
    }

    @Test
    void ptSplitsPunctuationNumbersAndSymbols() {
        RougeTokenizer pt = new PortugueseTokenizer(null);
        assertEquals(List.of("r", "3", "5", "bilhões", "guarda", "chuva", "38", "7", "°", "c", "10", "km"),
                pt.tokenize("R$ 3,5 bilhões; guarda-chuva, 38,7°C, 10km"));
        // a decomposed accent stays with its letter
        assertEquals(List.of("na\u0303o"), pt.tokenize("NA\u0303O"));
    }

    @Test
    void ptLowercasesCapitalSigmaByUnicodesFinalSigmaRule() {
        RougeTokenizer pt = new PortugueseTokenizer(null);
        // Final_Sigma (Unicode 3.13): final when a cased letter precedes and none follows, skipping
        // case-ignorable characters; "-", "—", "_" and '"' are not case-ignorable, ":", "'" and "." are.
        assertEquals(List.of("ας", "β"), pt.tokenize("ΑΣ-Β"));
        assertEquals(List.of("οδος", "να"), pt.tokenize("ΟΔΟΣ—ΝΑ"));
        assertEquals(List.of("ας", "β"), pt.tokenize("ΑΣ_Β"));
        assertEquals(List.of("ασ", "β"), pt.tokenize("ΑΣ:Β"));
        assertEquals(List.of("ασ", "α"), pt.tokenize("ΑΣ'Α"));
        assertEquals(List.of("σ"), pt.tokenize("Σ"));           // nothing cased before it
        assertEquals(List.of("ας\u0301"), pt.tokenize("ΑΣ\u0301")); // a mark after it is skipped
        assertEquals(List.of("i\u0307stanbul"), pt.tokenize("İSTANBUL")); // other mappings unchanged
    }

    @Test
    void ptStemsOnlyTokensLongerThanThreeCharacters() {
        RougeTokenizer marking = new PortugueseTokenizer(word -> "<" + word + ">");
        assertEquals(List.of("não", "<casa>", "é", "<eleições>", "<2020>"), marking.tokenize("Não casa é eleições 2020"));
        assertEquals(List.of("jornal", "e", "ela"), Tokenization.PT.newTokenizer(true).tokenize("Jornalistas e ela"));
    }

    @Test
    void unknownTokenizationNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenization.parse("en"));
        assertEquals("unknown tokenization 'en'; expected one of pt, rouge-score", e.getMessage());
    }
}
