package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo batch` end to end on the golden tiny model: broken models and settings are one line
 * before the pipeline runs, old shards under the prefix are refused (or deleted with --force),
 * and the run reports its counts and fails when nothing was summarized.
 */
class BatchLaunchTest {
    private static final Path SHARED = Path.of(System.getProperty("resumo.shared", "../shared"));
    private static final Path MODEL = SHARED.resolve("golden/t5-v1_0-tiny");
    private static final Path SPIECE = SHARED.resolve("models/ptt5-portuguese-vocab/spiece.model");

    private static void needShared() {
        assumeTrue(Files.isRegularFile(MODEL.resolve("model.safetensors")) && Files.isRegularFile(SPIECE),
                "../shared golden model or PTT5 spiece.model absent: batch end-to-end test skipped");
    }

    private static CliRun batch(Path model, Path input, Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of("batch", "--model", model.toString(), "--tokenizer", SPIECE.toString(),
                "--input", input.toString(), "--output", output.toString(), "--max-new-tokens", "4", "--max-source-length", "32"));
        args.addAll(List.of(extra));
        return CliRun.run(args.toArray(String[]::new));
    }

    /** in.jsonl with one row (id "a"). */
    private static Path oneRow(Path dir) throws java.io.IOException {
        return Files.write(dir.resolve("in.jsonl"), List.of("{\"id\":\"a\",\"text\":\"O governo anunciou um plano.\"}"));
    }

    private static List<String> shards(Path dir, String name) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(name + "-")).sorted().toList();
        }
    }

    @Test
    void secondRunUnderOnePrefixIsRefusedUnlessForced(@TempDir Path dir) throws Exception {
        needShared();
        Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of("{\"id\":\"a\",\"text\":\"O governo anunciou um plano.\"}", "{\"id\":\"b\",\"text\":\"Chuva no Recife.\"}"));
        CliRun first = batch(MODEL, input, dir.resolve("run1"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().contains("2 rows: 2 summarized, 0 dead letters"), first.err());
        // A shard of an earlier run with another shard count: left in place it would mix two runs' rows.
        Files.writeString(dir.resolve("run1-summaries-00007-of-00009.jsonl"), "{\"id\":\"old\",\"summary\":\"x\"}\n");
        List<String> before = shards(dir, "run1");
        CliRun again = batch(MODEL, input, dir.resolve("run1"));
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("--output " + dir.resolve("run1") + ": ") && again.err().contains("--force"), again.err());
        assertEquals(before, shards(dir, "run1"), "a refused run touches nothing");
        CliRun forced = batch(MODEL, input, dir.resolve("run1"), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertFalse(shards(dir, "run1").contains("run1-summaries-00007-of-00009.jsonl"));
        long rows = 0;
        for (String f : shards(dir, "run1-summaries")) rows += Files.readAllLines(dir.resolve(f)).stream().filter(l -> !l.isBlank()).count();
        assertEquals(2, rows, "only the last run's rows under the prefix");
    }

    @Test
    void nothingSummarizedOrNoRowsExitsTwo(@TempDir Path dir) throws Exception {
        needShared();
        Path wrong = dir.resolve("wrong.jsonl");
        Files.write(wrong, List.of("{\"id\":\"a\",\"body\":\"x\"}", "{\"id\":\"b\",\"body\":\"y\"}"));
        CliRun none = batch(MODEL, wrong, dir.resolve("w"));
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("0 summarized, 2 dead letters") && none.err().contains("no row was summarized"), none.err());
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "\n  \n");
        CliRun noRows = batch(MODEL, empty, dir.resolve("e"));
        assertNoRows(noRows, empty, dir, "e");
        // A compressed input is not looked into before the run: the run itself finds no rows, and says only that.
        Path gz = dir.resolve("empty.jsonl.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertNoRows(batch(MODEL, gz, dir.resolve("g")), gz, dir, "g");
    }

    /** No rows is one outcome: one line, exit 2, no "DONE" before it and no empty shards left that look like a result. */
    private static void assertNoRows(CliRun r, Path input, Path dir, String prefix) throws Exception {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--input " + input + ": no rows"), r.err());
        assertFalse(r.err().contains("DONE"), r.err());
        assertEquals(List.of(), shards(dir, prefix), "no shards left behind");
    }

    /** The shards are PREFIX-summaries-...: a folder as the prefix gave files named "-summaries-...". */
    @Test
    void aFolderAsTheOutputPrefixIsRefused(@TempDir Path dir) throws Exception {
        needShared();
        Path input = oneRow(dir);
        Path out = Files.createDirectories(dir.resolve("out"));
        for (String prefix : List.of(out + "/", out.toString(), dir.resolve("new") + "/")) {
            // A Path would drop the trailing separator: the flag is passed as typed.
            CliRun r = CliRun.run("batch", "--model", MODEL.toString(), "--tokenizer", SPIECE.toString(), "--input", input.toString(),
                    "--output", prefix, "--max-new-tokens", "4");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("resumo batch: --output " + prefix + ": "), r.err());
            assertTrue(r.err().contains("give a prefix such as " + prefix.replaceAll("/$", "") + "/out"), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        try (Stream<Path> s = Files.walk(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith("-")).toList(), "no files named -...");
        }
    }

    @Test
    void brokenModelTokenizerAndSettingsAreOneLineBeforeThePipeline(@TempDir Path dir) throws Exception {
        needShared();
        Path input = oneRow(dir);
        Path truncated = Files.createDirectories(dir.resolve("truncated"));
        Files.copy(MODEL.resolve("config.json"), truncated.resolve("config.json"));
        byte[] st = Files.readAllBytes(MODEL.resolve("model.safetensors"));
        Files.write(truncated.resolve("model.safetensors"), java.util.Arrays.copyOf(st, st.length / 2));
        Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
        Files.copy(MODEL.resolve("model.safetensors"), corrupt.resolve("model.safetensors"));
        Files.writeString(corrupt.resolve("config.json"), "{\"d_model\": ");
        record Case(CliRun run, String start) {}
        for (Case c : List.of(
                new Case(batch(truncated, input, dir.resolve("o")), "--model "),
                new Case(batch(corrupt, input, dir.resolve("o")), "--model "),
                new Case(CliRun.run("batch", "--model", MODEL.toString(), "--tokenizer", dir.resolve("nope").toString(),
                        "--input", input.toString(), "--output", dir.resolve("o").toString()), "--tokenizer "),
                new Case(CliRun.run("batch", "--model", MODEL.toString(), "--tokenizer", SPIECE.toString(), "--input", input.toString(),
                        "--output", dir.resolve("o").toString(), "--max-new-tokens", "99999999"), "--max-new-tokens: must be in [1, 16384]"))) {
            assertEquals(2, c.run().code(), c.run().err());
            String line = c.run().err().lines().filter(l -> l.startsWith("resumo batch: ")).findFirst().orElse(c.run().err());
            assertTrue(line.startsWith("resumo batch: " + c.start()), c.run().err());
            assertFalse(c.run().err().contains("Exception"), c.run().err());
        }
        assertTrue(shards(dir, "o").isEmpty(), "nothing ran");
    }

    /** Beam options after -- in words that name them: one resumo batch already sets, and one whose value does not parse. */
    @Test
    void beamOptionsAfterDashDashAreNamedWhenWrong(@TempDir Path dir) {
        String[] base = {"batch", "--model", dir.resolve("m").toString(), "--input", dir.resolve("in.jsonl").toString(), "--output",
                dir.resolve("out").toString()};
        CliRun twice = CliRun.run(concat(base, "--", "--runner=FooRunner"));
        assertEquals(2, twice.code(), twice.err());
        assertEquals("resumo batch: the Beam option --runner=FooRunner after -- sets what resumo batch's --runner sets "
                + "(--runner=DirectRunner); give it once, as --runner", twice.err().strip());
        CliRun tokens = CliRun.run(concat(base, "--max-new-tokens", "8", "--", "--maxNewTokens=9"));
        assertEquals(2, tokens.code(), tokens.err());
        assertTrue(tokens.err().contains("give it once, as --max-new-tokens"), tokens.err());
        // Every generation setting is a Beam option too: after -- it is refused, with its flag given or not.
        CliRun sampled = CliRun.run(concat(base, "--do-sample", "--temperature", "0.5", "--", "--temperature=0.7"));
        assertEquals(2, sampled.code(), sampled.err());
        assertEquals("resumo batch: the Beam option --temperature=0.7 after -- sets what resumo batch's --temperature sets "
                + "(--temperature=0.5); give it once, as --temperature", sampled.err().strip());
        CliRun seedAlone = CliRun.run(concat(base, "--", "--seed=3"));
        assertEquals(2, seedAlone.code(), seedAlone.err());
        assertEquals("resumo batch: the Beam option --seed=3 after -- sets what resumo batch's --seed sets; give it as --seed "
                + "(before --)", seedAlone.err().strip());
        CliRun earlyStopping = CliRun.run(concat(base, "--", "--earlyStopping=never"));
        assertTrue(earlyStopping.err().contains("give it as --early-stopping (before --)"), earlyStopping.err());
        // An unquoted glob: the shell hands over "--input a.jsonl b.jsonl"; Beam only said b.jsonl "does not begin with '--'".
        CliRun expanded = CliRun.run(concat(base, dir.resolve("b.jsonl").toString(), dir.resolve("c.jsonl").toString()));
        assertEquals(2, expanded.code(), expanded.err());
        assertEquals("resumo batch: unexpected argument '" + dir.resolve("b.jsonl") + "' and 1 more: Beam options go after -- as "
                + "--name=value; if --input is a glob, quote it so the shell does not expand it into files (--input 'corpus/*.jsonl')",
                expanded.err().strip());
        CliRun notInt = CliRun.run(concat(base, "--", "--targetParallelism=abc"));
        assertEquals(2, notInt.code(), notInt.err());
        assertEquals("resumo batch: the Beam option --targetParallelism=abc: \"abc\" is not a valid `int`", notInt.err().strip());
    }

    /**
     * PREFIX-done.json is written last, with the counts, and only by a run that finished: shards
     * without it are a killed run's (the summaries and dead letters are written by separate steps).
     */
    @Test
    void aFinishedRunLeavesTheDoneMarkerWithItsCounts(@TempDir Path dir) throws Exception {
        needShared();
        Path input = Files.write(dir.resolve("in.jsonl"), List.of("{\"id\":\"a\",\"text\":\"O governo anunciou um plano.\"}", "[1]"));
        CliRun r = batch(MODEL, input, dir.resolve("run"));
        assertEquals(0, r.code(), r.err());
        var done = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("run-done.json").toFile());
        assertEquals(List.of(2L, 1L, 1L), List.of(done.get("rows").asLong(), done.get("summarized").asLong(), done.get("dead_letters").asLong()));
        // The marker alone counts as an earlier run's file: a new run under the prefix is refused, --force deletes it.
        for (String f : shards(dir, "run")) if (!f.equals("run-done.json")) Files.delete(dir.resolve(f));
        assertEquals(2, batch(MODEL, input, dir.resolve("run")).code());
        assertEquals(0, batch(MODEL, input, dir.resolve("run"), "--force").code());
        assertTrue(Files.isRegularFile(dir.resolve("run-done.json")));
    }

    /** A folder as --input said "matches no file", as if the folder were empty. */
    @Test
    void aFolderAsTheInputAsksForAPattern(@TempDir Path dir) throws Exception {
        Path corpus = Files.createDirectory(dir.resolve("corpus"));
        oneRow(corpus);
        CliRun r = CliRun.run("batch", "--model", dir.toString(), "--input", corpus.toString(), "--output", dir.resolve("out").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("resumo batch: --input " + corpus + ": is a folder; give a file pattern such as " + corpus.resolve("*.jsonl"),
                r.err().strip());

        // A dataset folder of Parquet part files (Spark's out.parquet/, pyarrow's write_dataset): the
        // hint is the pattern that reads them as Parquet, by the folder's name or by what it holds.
        Path spark = Files.createDirectory(dir.resolve("out.parquet"));
        CliRun named = CliRun.run("batch", "--model", dir.toString(), "--input", spark + "/", "--output", dir.resolve("o2").toString());
        assertEquals("resumo batch: --input " + spark + "/: is a folder; give a file pattern such as " + spark.resolve("*.parquet"),
                named.err().strip());
        Path parts = Files.createDirectory(dir.resolve("parts"));
        Files.writeString(parts.resolve("part-00000-c000.snappy.parquet"), "PAR1");
        CliRun holding = CliRun.run("batch", "--model", dir.toString(), "--input", parts.toString(), "--output", dir.resolve("o3").toString());
        assertEquals("resumo batch: --input " + parts + ": is a folder; give a file pattern such as " + parts.resolve("*.parquet"),
                holding.err().strip());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
