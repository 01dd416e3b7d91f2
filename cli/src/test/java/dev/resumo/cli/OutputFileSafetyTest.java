package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output-file policy of summarize, score, tokenize, detokenize (--output) and eval (--predictions):
 * an existing file needs --force, an input is never an output, a failing command leaves the old file
 * and no temporary file, and a bad output path is refused before any work.
 */
class OutputFileSafetyTest {
    @TempDir
    static Path shared;
    private static Path model;
    private static Path corpus;

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyRandomModel.create(shared);
        corpus = shared.resolve("corpus.jsonl");
        Files.writeString(corpus, """
                {"id": "a", "text": "A prefeitura abriu vagas em cursos gratuitos. As aulas começam em março.", "summary": "Prefeitura abriu vagas.", "split": "test"}
                {"id": "b", "text": "A chuva deixou famílias desalojadas. A água chegou a um metro.", "summary": "Chuva desalojou famílias.", "split": "test"}
                """);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void tokenizeRefusesToWriteOverItsOwnInputEvenWithForce(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.copy(corpus, in);
        byte[] before = Files.readAllBytes(in);
        for (String[] extra : new String[][] {{}, {"--force"}}) {
            CliRun r = CliRun.run(Stream.concat(Stream.of("tokenize", "--tokenizer", model.toString(), "--input", in.toString(),
                    "--output", in.toString()), Stream.of(extra)).toArray(String[]::new));
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("is the same file as --input"), r.err());
            assertEquals(new String(before), Files.readString(in), "the input must be left as it was");
        }
        // The same file under another name (a relative path through ..) is still the same file.
        CliRun r = CliRun.run("tokenize", "--tokenizer", model.toString(), "--input", in.toString(), "--force",
                "--output", dir.resolve("sub/../in.jsonl").toString().replace("sub/..", "."));
        assertEquals(2, r.code(), r.err());
        assertEquals(new String(before), Files.readString(in));
    }

    @Test
    void anExistingOutputNeedsForce(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.jsonl");
        Files.writeString(out, "keep me\n");
        CliRun refused = CliRun.run("tokenize", "--tokenizer", model.toString(), "--text", "o governo", "--output", out.toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("--output " + out + " already exists; add --force to replace it"), refused.err());
        assertEquals("keep me\n", Files.readString(out));

        CliRun forced = CliRun.run("tokenize", "--tokenizer", model.toString(), "--text", "o governo", "--output", out.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(Files.readString(out).startsWith("{\"ids\":["), Files.readString(out));
        assertEquals(List.of("out.jsonl"), names(dir), "no temporary file is left beside the output");
    }

    @Test
    void aFailingDetokenizeLeavesTheOldOutputAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("ids.jsonl");
        Files.writeString(in, "{\"ids\": [5, 1]}\n{\"pieces\": []}\n");
        Path out = dir.resolve("out.jsonl");
        Files.writeString(out, "keep me\n");
        CliRun r = CliRun.run("detokenize", "--tokenizer", model.toString(), "--input", in.toString(), "--output", out.toString(), "--force");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("line 2: no \"ids\" array"), r.err());
        assertEquals("keep me\n", Files.readString(out), "a failing command must not touch the existing output");
        assertEquals(List.of("ids.jsonl", "out.jsonl"), names(dir), "no temporary file is left behind");

        Path fresh = dir.resolve("fresh.jsonl");
        CliRun t = CliRun.run("tokenize", "--tokenizer", model.toString(), "--input", in.toString(), "--field", "nope", "--output", fresh.toString());
        assertEquals(2, t.code(), t.err());
        assertFalse(Files.exists(fresh), "a failing command must not create its output");
        assertEquals(List.of("ids.jsonl", "out.jsonl"), names(dir));
    }

    @Test
    void badOutputPathsAreRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plain.txt");
        Files.writeString(file, "x");
        String[][] cases = {
            {dir.resolve("nodir/o.jsonl").toString(), "does not exist"},
            {file.resolve("o.jsonl").toString(), "is not a directory"},
            {dir.toString(), "is a directory"},
        };
        for (String[] c : cases) {
            for (String command : new String[] {"tokenize", "detokenize"}) {
                CliRun r = CliRun.run(command, "--tokenizer", model.toString(), command.equals("tokenize") ? "--text" : "--ids",
                        command.equals("tokenize") ? "o governo" : "5,1", "--output", c[0], "--force");
                assertEquals(2, r.code(), command + " " + c[0] + ": " + r.err());
                assertTrue(r.err().contains("--output " + c[0]) && r.err().contains(c[1]), r.err());
            }
        }
    }

    @Test
    void summarizeAndScoreRefuseTheirInputAndAnExistingOutput(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.copy(corpus, in);
        String before = Files.readString(in);
        for (String command : new String[] {"summarize", "score"}) {
            String limit = command.equals("summarize") ? "--max-new-tokens" : "--max-target-length";
            CliRun same = CliRun.run(command, "--model", model.toString(), "--input", in.toString(), "--output", in.toString(),
                    "--force", limit, "2");
            assertEquals(2, same.code(), same.err());
            assertTrue(same.err().contains("is the same file as --input"), same.err());
            assertEquals(before, Files.readString(in));

            Path out = dir.resolve(command + ".jsonl");
            Files.writeString(out, "keep me\n");
            CliRun exists = CliRun.run(command, "--model", model.toString(), "--input", in.toString(), "--output", out.toString(),
                    limit, "2");
            assertEquals(2, exists.code(), exists.err());
            assertTrue(exists.err().contains("already exists; add --force"), exists.err());
            assertEquals("keep me\n", Files.readString(out));

            CliRun forced = CliRun.run(command, "--model", model.toString(), "--input", in.toString(), "--output", out.toString(),
                    limit, "2", "--force");
            assertEquals(0, forced.code(), forced.err());
            assertEquals(2, Files.readAllLines(out).size(), Files.readString(out));
        }
    }

    @Test
    void evalChecksPredictionsBeforeGenerating(@TempDir Path dir) throws Exception {
        String[] common = {"eval", "--model", model.toString(), "--dataset", corpus.toString(), "--max-new-tokens", "2",
            "--bootstrap-samples", "5", "--predictions"};
        Path existing = dir.resolve("p.jsonl");
        Files.writeString(existing, "keep me\n");
        String[][] cases = {
            {dir.resolve("nodir/p.jsonl").toString(), "does not exist"},
            {dir.toString(), "is a directory"},
            {existing.toString(), "already exists; add --force"},
            {corpus.toString(), "is the same file as --dataset"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.run(Stream.concat(Stream.of(common), Stream.of(c[0])).toArray(String[]::new));
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--predictions " + c[0]) && r.err().contains(c[1]), r.err());
            assertFalse(r.err().contains("examples summarized"), "refused before generating (progress is on stderr): " + r.err());
        }
        assertEquals("keep me\n", Files.readString(existing));
        CliRun forced = CliRun.run(Stream.concat(Stream.of(common), Stream.of(existing.toString(), "--force")).toArray(String[]::new));
        assertEquals(0, forced.code(), forced.err());
        assertEquals(2, Files.readAllLines(existing).size());
        assertEquals(List.of("p.jsonl"), names(dir));
    }

    /**
     * --force on a symbolic link writes through it, as shell redirection does: the file it names
     * gets the new lines (and its folder gets the temporary file), the link stays a link. Replacing
     * the link left its target stale. A dangling link creates the file it names.
     */
    @Test
    void anOutputThatIsASymlinkIsWrittenThrough(@TempDir Path dir) throws Exception {
        Path targets = Files.createDirectory(dir.resolve("targets"));
        Path real = targets.resolve("real.jsonl");
        Files.writeString(real, "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), Path.of("targets", "real.jsonl"));
        CliRun refused = CliRun.run("tokenize", "--tokenizer", model.toString(), "--text", "o governo", "--output", link.toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("--output " + link + " already exists; add --force"), refused.err());

        CliRun forced = CliRun.run("tokenize", "--tokenizer", model.toString(), "--text", "o governo", "--output", link.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertTrue(Files.readString(real).startsWith("{\"ids\":["), Files.readString(real));
        assertEquals(List.of("link.jsonl", "targets"), names(dir));
        assertEquals(List.of("real.jsonl"), names(targets), "no temporary file left in the target's folder");

        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.jsonl"), targets.resolve("new.jsonl"));
        CliRun created = CliRun.run("tokenize", "--tokenizer", model.toString(), "--text", "o governo", "--output", dangling.toString());
        assertEquals(0, created.code(), created.err());
        assertTrue(Files.isSymbolicLink(dangling));
        assertTrue(Files.readString(targets.resolve("new.jsonl")).startsWith("{\"ids\":["));
    }

    /** A FIFO or device behind a link is refused like the FIFO itself (/dev/stdout is such a link). */
    @Test
    void aSymlinkToAFifoIsRefused(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "skipped: mkfifo failed");
        Path link = Files.createSymbolicLink(dir.resolve("link"), fifo);
        CliRun r = CliRun.run("tokenize", "--tokenizer", model.toString(), "--text", "o governo", "--output", link.toString(), "--force");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--output " + link + " is not a regular file; give a file name"), r.err());
        assertTrue(Files.isSymbolicLink(link) && !Files.isRegularFile(fifo));
    }
}
