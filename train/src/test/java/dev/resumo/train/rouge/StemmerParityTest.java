package dev.resumo.train.rouge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stems against NLTK (weights-tools/make_rouge_reference.py): every word, exactly. */
class StemmerParityTest {
    @Test
    void porterMatchesNltkDefaultMode() {
        check("porter", new PorterStemmer(), 400);
    }

    @Test
    void portugueseSnowballMatchesNltk() {
        check("snowball_pt", new PortugueseStemmer(), 1000);
    }

    @Test
    void stemsKnownPortugueseWords() {
        PortugueseStemmer s = new PortugueseStemmer();
        // independent of the reference file: forms of one word share a stem
        assertEquals(s.stem("jornalistas"), s.stem("jornalista"));
        assertEquals(s.stem("brasileiros"), s.stem("brasileira"));
        assertEquals("governament", s.stem("governamentais"));
        assertEquals("eleiçõ", s.stem("eleições")); // "õ" survives the a~/o~ round trip
    }

    private static void check(String name, Stemmer stemmer, int atLeast) {
        JsonNode words = ReferenceFiles.json("stems.json").get(name);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = words.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String actual = stemmer.stem(e.getKey());
            if (!actual.equals(e.getValue().asText())) {
                wrong.add(e.getKey() + " -> " + actual + " (nltk: " + e.getValue().asText() + ")");
            }
            checked++;
        }
        System.out.printf("%s: %d/%d words stemmed as NLTK does%n", name, checked - wrong.size(), checked);
        assertTrue(checked >= atLeast, "too few words in stems.json: " + checked);
        assertEquals(List.of(), wrong, name + " stems differing from NLTK");
    }
}
