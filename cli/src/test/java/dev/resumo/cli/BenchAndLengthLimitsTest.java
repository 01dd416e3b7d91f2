package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upper bounds of the bench flags and of --max-source-length, each refused with a one-line error
 * before any thread, socket, model or tensor exists. Values just past each bound, never the huge
 * ones that once exhausted the host (100000 threads or clients).
 */
class BenchAndLengthLimitsTest {
    private static final String THREADS_PAST = Integer.toString(TrainConfig.MAX_THREADS + 1);

    private static void refused(CliRun r, String... parts) {
        assertEquals(2, r.code(), r.out() + r.err());
        for (String p : parts) assertTrue(r.err().contains(p), "missing '" + p + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(r.err().contains("internal error"), r.err());
        assertFalse(r.err().contains("listening on"), r.err());
    }

    @Test
    void everyBenchThreadsFlagHasTheTrainingBound() {
        String bound = "--threads: must be ≤ " + TrainConfig.MAX_THREADS;
        refused(CliRun.run("bench", "gemm", "--threads", THREADS_PAST, "--no-numpy", "--shapes", "8x8x8"), bound, "got " + THREADS_PAST);
        refused(CliRun.run("bench", "train", "--shape", "tiny", "--threads", THREADS_PAST, "--steps", "1", "--warmup", "0"), bound);
        refused(CliRun.run("bench", "device", "--threads", THREADS_PAST, "--steps", "1"), bound);
        refused(CliRun.run("bench", "compare", "--threads", THREADS_PAST, "--no-torch"), bound);
    }

    @Test
    void benchTrainAndDeviceSizesAreBounded() {
        refused(CliRun.run("bench", "train", "--shape", "tiny", "--source-length", "8193", "--steps", "1", "--warmup", "0"),
                "--source-length: must be ≤ 8192", "got 8193");
        refused(CliRun.run("bench", "train", "--shape", "tiny", "--target-length", "8193", "--steps", "1", "--warmup", "0"),
                "--target-length: must be ≤ 8192");
        refused(CliRun.run("bench", "train", "--shape", "tiny", "--batch-size", "4097", "--steps", "1", "--warmup", "0"),
                "--batch-size: must be ≤ 4096", "got 4097");
        // Refused before --device is even looked at (no OpenCL needed for this test).
        refused(CliRun.run("bench", "device", "--device", "opencl", "--batch", "4097", "--steps", "1"), "--batch: must be ≤ 4096");
        refused(CliRun.run("bench", "device", "--device", "opencl", "--source-length", "8193"), "--source-length: must be ≤ 8192");
    }

    @Test
    void benchServeChecksEveryFlagBeforeLoadingAnything(@TempDir Path dir) {
        String missing = dir.resolve("no-model").toString(); // never read: every flag is refused first
        refused(CliRun.run("bench", "serve", "--model", missing, "--clients", "4097"), "--clients: must be ≤ 4096", "got 4097");
        refused(CliRun.run("bench", "serve", "--model", missing, "--max-new-tokens", "100000"), "--max-new-tokens: must be in [1, 512]");
        refused(CliRun.run("bench", "serve", "--model", missing, "--max-wait-ms", "-1"), "--max-wait-ms: must be in [0, 10000], got -1");
        refused(CliRun.run("bench", "serve", "--clients", "4097"), "--clients");
    }

    @Test
    void benchTokenizerNamesTheLineOfMalformedJson(@TempDir Path dir) throws Exception {
        Path model = TinyRandomModel.create(dir.resolve("m")).resolve("spiece.model");
        Path data = Files.writeString(dir.resolve("d.jsonl"), "{\"text\":\"ok\"}\n{\"text\": broken\n");
        refused(CliRun.run("bench", "tokenizer", "--tokenizer", model.toString(), "--data", data.toString(), "--seconds", "0.01",
                "--skip-python"), data + " line 2: not valid JSON");
    }

    @Test
    void benchTokenizerChecksThePythonSideBeforeMeasuring(@TempDir Path dir) throws Exception {
        Path model = TinyRandomModel.create(dir.resolve("m")).resolve("spiece.model");
        Path data = Files.writeString(dir.resolve("d.jsonl"), "{\"text\":\"ok\"}\n");
        Path venv = Files.writeString(dir.resolve("venv-file"), "x");
        CliRun r = CliRun.run("bench", "tokenizer", "--tokenizer", model.toString(), "--data", data.toString(), "--seconds", "0.01",
                "--venv", venv.toString());
        refused(r, "--venv " + venv + " is a file");
        assertFalse(r.out().contains("MB/s"), "refused before measuring: " + r.out());
    }

    @Test
    void benchTokenizerHasTheFlagItsInvalidUtf8ErrorSuggests(@TempDir Path dir) throws Exception {
        Path model = TinyRandomModel.create(dir.resolve("m")).resolve("spiece.model");
        Path data = Files.write(dir.resolve("latin1.jsonl"), "{\"text\":\"a\u00e7\u00e3o\"}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String[] args = {"bench", "tokenizer", "--tokenizer", model.toString(), "--data", data.toString(), "--seconds", "0.01", "--skip-python"};
        refused(CliRun.run(args), data + " line 1: invalid UTF-8", "--replace-invalid");
        String[] replacing = java.util.Arrays.copyOf(args, args.length + 1);
        replacing[args.length] = "--replace-invalid";
        CliRun r = CliRun.run(replacing);
        assertEquals(0, r.code(), r.err());
        refused(CliRun.run("bench", "tokenizer", "--tokenizer", model.toString(), "--data", dir.toString(), "--skip-python"),
                dir + " is a directory, not a file");
    }

    @Test
    void gemmShapesTakeTheTimesSignTheHelpShows() {
        CliRun ok = CliRun.run("bench", "gemm", "--threads", "1", "--repeats", "1", "--no-numpy", "--shapes", "8×8×8:NN");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("8x8x8"), ok.out());
        refused(CliRun.run("bench", "gemm", "--no-numpy", "--shapes", "8×8"), "is not M×K×N (× or x");
        assertTrue(CliRun.run("bench", "gemm", "--help").out().contains("M×K×N shapes (× or x"));
    }

    @Test
    void maxSourceLengthHasOneCeilingEverywhere(@TempDir Path dir) throws Exception {
        String model = TinyRandomModel.create(dir).toString();
        refused(CliRun.run("summarize", "--model", model, "--text", "um texto", "--max-source-length", "8193"),
                "--max-source-length: must be ≤ 8192", "got 8193");
        refused(CliRun.run("serve", "--model", model, "--port", "0", "--max-source-length", "30000"),
                "--max-source-length: must be ≤ 8192");
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"text\": \"um texto\"}\n");
        refused(CliRun.run("batch", "--model", model, "--input", input.toString(), "--output", dir.resolve("out").toString(),
                "--max-source-length", "8193"), "--max-source-length: must be ≤ 8192");
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, "{\"text\": \"um texto\", \"summary\": \"texto\"}\n");
        refused(CliRun.run("score", "--model", model, "--input", pairs.toString(), "--max-source-length", "8193"),
                "--max-source-length: must be ≤ 8192", "got 8193");
        refused(CliRun.run("score", "--model", model, "--input", pairs.toString(), "--max-target-length", "8193"),
                "--max-target-length: must be ≤ 8192");
        CliRun atCeiling = CliRun.run("summarize", "--model", model, "--text", "um texto curto", "--max-source-length", "8192",
                "--max-new-tokens", "2");
        assertEquals(0, atCeiling.code(), atCeiling.err());
    }
}
