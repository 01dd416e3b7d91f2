package dev.resumo.serve;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resumo.t5.Summarizer;
import dev.resumo.t5.generate.GenerationConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** The golden tiny T5 (d_model 32) with the PTT5 vocabulary, read in place from ../shared. */
final class GoldenModel {
    private GoldenModel() {}

    static Path modelDir() {
        return Path.of(System.getProperty("resumo.shared", "../shared"), "golden", "t5-v1_0-tiny");
    }

    static Path spiece() {
        return Path.of(System.getProperty("resumo.shared", "../shared"), "models", "ptt5-portuguese-vocab", "spiece.model");
    }

    /** Skips the calling test with the reason when ../shared is absent. */
    static SummarizerEngine engine(int maxNewTokens, int maxSource, int chunk) {
        assumeTrue(Files.isRegularFile(modelDir().resolve("model.safetensors")) && Files.isRegularFile(spiece()),
                "../shared/golden/t5-v1_0-tiny or ../shared/models/ptt5-portuguese-vocab absent: golden-model test skipped");
        Summarizer s = Summarizer.load(modelDir(), spiece(), GenerationConfig.greedy(maxNewTokens), Summarizer.DEFAULT_PREFIX, maxSource);
        return new SummarizerEngine(s, "t5-v1_0-tiny", chunk);
    }

    static final String[] TEXTS = {
        "O governo federal anunciou nesta segunda-feira um novo programa de investimentos em escolas públicas.",
        "A seleção brasileira venceu a partida por dois a zero.",
        "Pesquisadores da universidade descobriram uma nova espécie de sapo na Mata Atlântica, em uma área "
                + "de preservação no litoral de São Paulo, e pedem mais recursos para estudar a região.",
        "Chuva forte causa alagamentos no Recife.",
        "O Banco Central manteve a taxa de juros, citando a inflação ainda alta e a incerteza externa.",
    };
}
