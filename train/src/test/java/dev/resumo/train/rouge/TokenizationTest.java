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
