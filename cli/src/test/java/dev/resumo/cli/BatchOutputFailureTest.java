package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.batch.BatchOptions;
import dev.resumo.batch.SummarizerLoader;
import dev.resumo.batch.TextSummarizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo batch` when its output cannot be written: the shards are written only after every row
 * was summarized, so a folder that cannot take them is checked before the pipeline starts, and one
 * that breaks during the run (removed, replaced, read-only) is one line saying so — before, both
 * were the runner's stack trace, after all the work was done.
 */
class BatchOutputFailureTest {
    /** Summarizes every text as "s", but first puts a file where the output folder was (a failure root meets too). */
    record BreakOutputFolder(String folder) implements SummarizerLoader {
        @Override
        public String key() {
            return "break-output:" + folder;
        }

        @Override
        public TextSummarizer load() {
            try {
                Path dir = Path.of(folder);
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) Files.delete(f);
                }
                Files.delete(dir);
                Files.writeString(dir, "a file where the output folder was");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return texts -> texts.stream().map(t -> "s").toList();
        }
    }

    @Test
    void anOutputFolderThatBreaksDuringTheRunIsOneLine(@TempDir Path tmp) throws Exception {
        Path input = Files.writeString(tmp.resolve("in.jsonl"), "{\"id\": \"a\", \"text\": \"Um texto.\"}\n{\"id\": \"b\", \"text\": \"Outro.\"}\n");
        Path outDir = Files.createDirectories(tmp.resolve("out"));
        String prefix = outDir.resolve("run1").toString();
        BatchOptions options = PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--model=unused", "--input=" + input,
                "--output=" + prefix).as(BatchOptions.class);
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = BatchCommand.runPipeline(options, new BreakOutputFolder(outDir.toString()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, said);
        assertEquals(1, said.strip().lines().count(), "one line: " + said);
        assertTrue(said.startsWith("resumo batch: FAILED: the pipeline failed on a file: "), said);
        assertTrue(said.contains(outDir + " is no longer a folder"), said);
        assertTrue(said.contains("run it again once --output " + prefix + " can be written"), said);
        assertFalse(said.contains("\tat ") || said.contains("PipelineExecutionException"), said);
    }

    @Test
    void anOutputThatCannotBeWrittenIsRefusedBeforeAnythingRuns(@TempDir Path tmp) throws Exception {
        Path model = TinyRandomModel.create(tmp);
        Path input = Files.writeString(tmp.resolve("in.jsonl"), "{\"id\": \"a\", \"text\": \"Um texto.\"}\n");
        Path aFile = Files.writeString(tmp.resolve("not-a-folder"), "x");
        CliRun r = CliRun.run("batch", "--model", model.toString(), "--input", input.toString(),
                "--output", aFile.resolve("run1").toString(), "--max-new-tokens", "2");
        assertEquals(2, r.code(), r.err());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("resumo batch: --output " + aFile.resolve("run1") + ": cannot write in " + aFile + " (a file is in the way)", last);
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
