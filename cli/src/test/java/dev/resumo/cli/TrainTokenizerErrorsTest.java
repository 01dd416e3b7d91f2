package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spiece.model `resumo train` cannot use (corrupt, empty, truncated in the model folder, or of a
 * model with another vocabulary) is one line naming the flag and the file, exit 2, as summarize and
 * eval report it; it was an internal error with a stack trace from inside the training job.
 */
class TrainTokenizerErrorsTest {
    @TempDir static Path tmp;
    static TinyTrainRun runner;

    @BeforeAll
    static void setUp() throws Exception {
        runner = TinyTrainRun.create(tmp, "{\"max-source-length\": 32, \"max-target-length\": 8, \"batch-size\": 4, \"max-new-tokens\": 4}");
    }

    private static void assertOneLine(CliRun r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "expected '" + f + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), r.err());
    }

    private static void assertUntouched(Path run) {
        assertFalse(Files.exists(run), "nothing written for a run that cannot start: " + run);
    }

    @Test
    void aCorruptOrEmptyTokenizerIsOneLineNamingTheFlag() throws Exception {
        byte[] junk = new byte[256];
        new java.util.Random(7).nextBytes(junk);
        junk[0] = 0x0b; // field 1, wire type 3: not a protobuf SentencePiece model (as the sweep's random file)
        Path random = Files.write(tmp.resolve("random.model"), junk);
        Path empty = Files.write(tmp.resolve("empty.model"), new byte[0]);
        for (Path bad : List.of(random, empty)) {
            Path run = tmp.resolve("run-" + bad.getFileName());
            assertOneLine(runner.train(run, "--tokenizer", bad.toString()),
                    "resumo train: --tokenizer " + bad, "is not a SentencePiece model");
            assertUntouched(run);
        }
    }

    @Test
    void aTruncatedSpieceModelInTheModelFolderNamesModel() throws Exception {
        Path model = Files.createDirectories(tmp.resolve("truncated-spm"));
        try (var files = Files.list(runner.model())) {
            for (Path f : files.toList()) Files.copy(f, model.resolve(f.getFileName()));
        }
        byte[] spm = Files.readAllBytes(runner.model().resolve("spiece.model"));
        Files.write(model.resolve("spiece.model"), Arrays.copyOf(spm, spm.length - 3));
        Path run = tmp.resolve("run-truncated");
        CliRun r = CliRun.run("train", "--config", runner.settings().toString(), "--model", model.toString(),
                "--dataset", runner.corpus().toString(), "--output-dir", run.toString());
        assertOneLine(r, "resumo train: --model " + model.resolve("spiece.model"), "is not a SentencePiece model");
        assertUntouched(run);
    }

    @Test
    void aTokenizerWithMoreIdsThanTheModelIsOneLineNamingTheFlag() throws Exception {
        // The demo's spiece.model has 1500 ids (its model 1504, padded); a model of that shape with 1000 has no embedding for the rest.
        Path small = Files.createDirectories(tmp.resolve("small-vocab"));
        String config = Files.readString(runner.model().resolve("demo-config.json"));
        assertTrue(config.contains("\"vocab_size\": 1504"), config);
        Files.writeString(small.resolve("demo-config.json"), config.replace("\"vocab_size\": 1504", "\"vocab_size\": 1000"));
        T5Checkpoint.save(T5Init.random(T5Config.load(small.resolve("demo-config.json")), new Xoshiro256Random(1)), small);
        Path spiece = runner.model().resolve("spiece.model");
        Path run = tmp.resolve("run-vocab");
        CliRun r = CliRun.run("train", "--config", runner.settings().toString(), "--model", small.toString(),
                "--tokenizer", spiece.toString(), "--dataset", runner.corpus().toString(), "--output-dir", run.toString());
        assertOneLine(r, "resumo train: --tokenizer " + spiece + ": the tokenizer has 1500 ids but the model only 1000");
        assertUntouched(run);
    }
}
