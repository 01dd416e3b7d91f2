package dev.resumo.train.rouge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {
    private final SentenceSplitter splitter = new SentenceSplitter();

    @Test
    void splitsPlainSentences() {
        assertEquals(List.of("O time perdeu.", "O técnico foi demitido.", "A torcida protestou."),
                splitter.split("O time perdeu. O técnico foi demitido. A torcida protestou."));
    }

    @Test
    void keepsTitlesAndReferenceAbbreviations() {
        assertEquals(List.of("O Sr. João e a Sra. Ana encontraram o Dr. Paulo e a Dra. Lia.", "Depois saíram."),
                splitter.split("O Sr. João e a Sra. Ana encontraram o Dr. Paulo e a Dra. Lia. Depois saíram."));
        assertEquals(List.of("O Prof. Carlos citou a pág. 12 do vol. 3, p.ex. o art. 5 da lei."),
                splitter.split("O Prof. Carlos citou a pág. 12 do vol. 3, p.ex. o art. 5 da lei."));
        assertEquals(List.of("Frutas, legumes etc. e verduras subiram.", "Carnes caíram."),
                splitter.split("Frutas, legumes etc. e verduras subiram. Carnes caíram."));
        assertEquals(List.of("Fernando H. Cardoso e J. K. Rowling chegaram.", "Houve festa."),
                splitter.split("Fernando H. Cardoso e J. K. Rowling chegaram. Houve festa."));
    }

    @Test
    void keepsDecimalsAndThousands() {
        assertEquals(List.of("A taxa foi de 3,5% e o índice de 3.5 pontos, com R$ 1.200,50 em jogo.", "Fim."),
                splitter.split("A taxa foi de 3,5% e o índice de 3.5 pontos, com R$ 1.200,50 em jogo. Fim."));
    }

    @Test
    void handlesEllipsisQuestionsAndExclamations() {
        assertEquals(List.of("A polícia prendeu três suspeitos...", "A investigação continua."),
                splitter.split("A polícia prendeu três suspeitos... A investigação continua."));
        assertEquals(List.of("E então… ninguém respondeu."), splitter.split("E então… ninguém respondeu."));
        assertEquals(List.of("Você já pensou nisso?", "A resposta é simples: educação!", "Será?!", "Sim."),
                splitter.split("Você já pensou nisso? A resposta é simples: educação! Será?! Sim."));
    }

    @Test
    void handlesQuotes() {
        assertEquals(List.of("O ministro disse: \"Vamos cortar gastos.\"", "Depois saiu."),
                splitter.split("O ministro disse: \"Vamos cortar gastos.\" Depois saiu."));
        assertEquals(List.of("\"Quem?\", perguntou ele.", "“Eu”, disse Ana."),
                splitter.split("\"Quem?\", perguntou ele. “Eu”, disse Ana."));
    }

    @Test
    void lineBreaksEndSentencesAndBlankLinesVanish() {
        assertEquals(List.of("Título sem ponto", "Primeiro parágrafo.", "Segundo parágrafo."),
                splitter.split("Título sem ponto\n\nPrimeiro parágrafo.\r\n\n  Segundo parágrafo.  \n"));
        assertEquals(List.of(), splitter.split("  \n \n"));
    }
}
