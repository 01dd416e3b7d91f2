package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real (tiny) training runs: an existing empty --output-dir is accepted; `--resume auto` on a
 * checkpoint whose files were damaged after it was completed is a one-line error naming the file
 * (and the older checkpoint to resume from instead), never an internal error; a dataset file of
 * unknown extension gets a message naming what is supported (no command has a --format flag).
 */
class TrainResumeDamagedCheckpointTest {
    @TempDir static Path tmp;
    private static Path model;
    private static Path corpus;
    private static Path settings;
    private static TinyTrainRun runner;
    private static Path run;

    @BeforeAll
    static void trainTwoStepsIntoAnExistingEmptyDirectory() throws Exception {
        TinyTrainRun setup = TinyTrainRun.create(tmp, """
                {"max-source-length": 32, "max-target-length": 8, "batch-size": 4, "eval-batch-size": 8,
                 "eval-steps": 2, "save-steps": 1, "keep-checkpoints": 5, "max-new-tokens": 2, "eval-max-examples": 1}""");
        model = setup.model();
        corpus = setup.corpus();
        settings = setup.settings();
        runner = setup;
        run = Files.createDirectories(tmp.resolve("run")); // exists and is empty: allowed
        CliRun first = train(run, "--max-steps", "2");
        assertEquals(0, first.code(), first.err());
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-00000001/COMPLETE")));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-00000002/COMPLETE")));
    }

    private static CliRun train(Path outputDir, String... more) {
        return runner.train(outputDir, more);
    }

    @Test
    void aDamagedNewestCheckpointIsAUserErrorNamingTheFile() throws Exception {
        int checked = 0;
        for (String file : List.of("model.safetensors", "optimizer.safetensors", "trainer_state.json")) {
            Path copy = tmp.resolve("damaged-" + file);
            copyTree(run, copy);
            Path damaged = copy.resolve("checkpoints/step-00000002").resolve(file);
            try (FileChannel ch = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
                ch.truncate(Math.min(ch.size() / 2, 100)); // cut short, as a full disk or a killed copy leaves it
            }
            CliRun r = train(copy, "--max-steps", "3", "--resume", "auto");
            assertEquals(2, r.code(), file + ": " + r.err());
            assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), r.err());
            String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.contains(damaged.toString()), "names the file: " + last);
            assertTrue(last.contains(file.endsWith(".json") ? "is not valid JSON" : "is damaged"), last);
            assertFalse(last.contains("REDACTED"), "no Jackson source noise: " + last);
            assertTrue(last.contains("--resume " + copy.resolve("checkpoints/step-00000001")), "names the older checkpoint: " + last);
            checked++;
        }
        assertEquals(3, checked);
    }

    @Test
    void anUnknownDatasetExtensionSaysWhatIsSupported() throws Exception {
        Path tokens = Files.writeString(tmp.resolve("tokens.txt"), "a b c\n");
        CliRun r = CliRun.run("train", "--model", model.toString(), "--dataset", tokens.toString(),
                "--output-dir", tmp.resolve("tokens-run").toString(), "--max-steps", "1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("cannot tell the format") && r.err().contains(".jsonl") && r.err().contains(".csv"), r.err());
        assertFalse(r.err().contains("--format"), "no command takes --format: " + r.err());
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
