package dev.resumo.train.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.train.data.Dataset;
import dev.resumo.train.data.Example;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoDataTest {
    @Test
    void corpusLoadsStrictlyWithItsSplits() {
        Dataset d = DemoData.corpus();
        assertEquals(192, d.train().size());
        assertEquals(24, d.validation().size());
        assertEquals(24, d.test().size());
        assertEquals(0, d.report().rejected().size());
    }

    @Test
    void summariesRestateFactsOfTheirTexts() {
        // Learnability: every number in a summary (e.g. "1.400", "37%", "9,1") appears in its text.
        Pattern number = Pattern.compile("\\d[\\d.,]*\\d|\\d");
        Dataset d = DemoData.corpus();
        int checked = 0;
        for (List<Example> split : List.of(d.train(), d.validation(), d.test())) {
            for (Example e : split) {
                int words = e.text().split("\\s+").length;
                assertTrue(words >= 60 && words <= 150, e.id() + ": " + words + " words");
                Matcher m = number.matcher(e.summary());
                while (m.find()) {
                    assertTrue(e.text().contains(m.group()), e.id() + ": summary number " + m.group() + " not in the text");
                    checked++;
                }
            }
        }
        assertTrue(checked >= 240, "every summary has at least one number, checked " + checked);
    }

    @Test
    void spieceIsT5StyleUnigramWithNfkcCharsmapAndConfigMatchesIt() throws IOException {
        byte[] model;
        try (InputStream in = DemoData.open(DemoData.SPIECE)) {
            model = in.readAllBytes();
        }
        SpmModelSummary spm = SpmModelSummary.parse(model);
        assertEquals(List.of("<pad>", "</s>", "<unk>"), spm.pieces().subList(0, 3));
        assertEquals(1400, spm.pieces().size());
        assertEquals(new HashSet<>(spm.pieces()).size(), spm.pieces().size(), "pieces are unique");
        assertEquals("nmt_nfkc", spm.normalizerName());
        assertTrue(spm.charsmapBytes() > 1000, "precompiled charsmap present: " + spm.charsmapBytes() + " bytes");

        JsonNode config;
        try (InputStream in = DemoData.open(DemoData.CONFIG)) {
            config = new ObjectMapper().readTree(in);
        }
        int vocab = config.get("vocab_size").asInt();
        assertEquals((spm.pieces().size() + 100 + 7) / 8 * 8, vocab, "spm size + 100 extra ids, padded to a multiple of 8");
        int dModel = config.get("d_model").asInt();
        assertTrue(dModel >= 64 && dModel <= 128);
        assertEquals(2, config.get("num_layers").asInt());
        assertEquals(2, config.get("num_decoder_layers").asInt());
        assertEquals("relu", config.get("feed_forward_proj").asText());
        assertTrue(config.get("tie_word_embeddings").asBoolean());
    }

    @Test
    void demoFilesAreSmallAndExtractable(@TempDir Path dir) throws IOException {
        DemoData.extractTo(dir);
        long total = 0;
        for (String f : new String[] {DemoData.CORPUS, DemoData.SPIECE, DemoData.CONFIG}) total += Files.size(dir.resolve(f));
        assertTrue(total < 1_000_000, "demo files total " + total + " bytes");
        assertEquals(240, Files.readAllLines(dir.resolve(DemoData.CORPUS), StandardCharsets.UTF_8).size());
    }
}
