package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resumo.t5.Summarizer;
import dev.resumo.t5.generate.GenerationConfig;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Summarizer cuts a list of texts into batches by length, longest first (BatchOrder); the
 * summaries must come back in the input order and be those of each text summarized alone. Here
 * because the golden model and the PTT5 vocabulary live in ../shared, which this module's tests read.
 */
class SummarizerBatchOrderTest {
    @Test
    void mixedLengthsComeBackInInputOrderAsEachTextAlone() {
        assumeTrue(Files.isRegularFile(GoldenModel.modelDir().resolve("model.safetensors")) && Files.isRegularFile(GoldenModel.spiece()),
                "../shared/golden/t5-v1_0-tiny or ../shared/models/ptt5-portuguese-vocab absent: golden-model test skipped");
        Summarizer loaded = Summarizer.load(GoldenModel.modelDir(), GoldenModel.spiece(), GenerationConfig.greedy(12),
                Summarizer.DEFAULT_PREFIX, 64);
        Summarizer s = new Summarizer(loaded.tokenizer(), loaded.model(), loaded.generation(), Summarizer.DEFAULT_PREFIX, 64, 3);
        List<String> texts = new ArrayList<>(List.of(GoldenModel.TEXTS));
        texts.add(GoldenModel.TEXTS[2] + " " + GoldenModel.TEXTS[0]); // the longest, last in input order
        texts.add("Frio.");                                           // the shortest
        List<Summarizer.Summary> together = s.summarize(texts);
        assertEquals(texts.size(), together.size());
        for (int i = 0; i < texts.size(); i++) {
            Summarizer.Summary alone = s.summarize(List.of(texts.get(i))).get(0);
            assertArrayEquals(alone.ids(), together.get(i).ids(), "text " + i + ": its summary in batches of 3 vs alone");
            assertEquals(alone.text(), together.get(i).text(), "text " + i);
        }
        System.out.println("SummarizerBatchOrderTest: " + texts.size() + " texts compared with their summaries alone");
    }
}
