package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --batch-size and --grad-accum accept any positive int, 2147483647 included; a batch larger than
 * the data is the whole data. The arithmetic around them overflowed: summarize wrote no line and
 * exited 0, train died with a stack trace, and train with --grad-accum finished "after 0 steps".
 */
class HugeBatchFlagsTest {
    private static final String MAX = String.valueOf(Integer.MAX_VALUE);

    @TempDir Path tmp;

    @Test
    void summarizeWritesEveryInputRowWithTheLargestBatchSize() throws Exception {
        Path model = TinyRandomModel.create(tmp);
        Path input = tmp.resolve("in.jsonl");
        Files.writeString(input, """
                {"text": "O governo anunciou hoje novas medidas para a economia."}
                {"text": "A chuva forte causou alagamentos em vários bairros da cidade."}
                {"text": "O time venceu o campeonato depois de dez anos."}
                """);

        CliRun run = CliRun.run("summarize", "--model", model.toString(), "--input", input.toString(),
                "--max-new-tokens", "2", "--batch-size", MAX);

        assertEquals(0, run.code(), run.err());
        assertEquals(3, run.out().lines().count(), "one line per input row: " + run.out());
    }

    @Test
    void trainTakesTheLargestBatchSizeAsTheWholeTrainingSplit() throws Exception {
        TinyTrainRun runner = TinyTrainRun.create(tmp, SETTINGS);
        Path out = tmp.resolve("run");

        CliRun run = runner.train(out, "--max-steps", "1", "--batch-size", MAX);

        assertEquals(0, run.code(), run.err());
        assertFalse(run.err().contains("internal error"), run.err());
        assertTrue(run.out().contains("FINISHED after 1 steps"), run.out());
    }

    @Test
    void trainWithTheLargestGradAccumTakesOneStepPerEpoch() throws Exception {
        // 192 training rows in batches of 64: 3 micro-batches, all accumulated into the epoch's one step.
        TinyTrainRun runner = TinyTrainRun.create(tmp, SETTINGS);
        Path out = tmp.resolve("run");

        CliRun run = runner.train(out, "--epochs", "1", "--batch-size", "64", "--grad-accum", MAX);

        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("FINISHED after 1 steps"), run.out());
    }

    private static final String SETTINGS = """
            {"max-source-length": 32, "max-target-length": 8, "eval-batch-size": 8, "eval-steps": 1000,
             "save-steps": 1000, "log-steps": 1, "max-new-tokens": 2, "eval-max-examples": 1, "tracker": "none"}""";
}
