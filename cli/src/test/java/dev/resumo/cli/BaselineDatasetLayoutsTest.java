package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo baseline --dataset` reads every layout `resumo train` reads, through the same loader: the
 * same rows written as CSV, TSV, gzip, a TeMário folder (cp1252 or UTF-8) or an XL-Sum folder give the
 * report the JSON-lines file gives, byte for byte (the bootstrap intervals included, so the rows come in
 * the same order too), and a bad source gives train's error. Baseline refused all but JSON lines
 * ("b.csv is a CSV file; baseline reads JSON lines"), and read JSON lines with a parser of its own.
 */
class BaselineDatasetLayoutsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Ten rows, every text its own, with accents (cp1252 vs UTF-8), a comma, quotes and a line break (CSV quoting). */
    private static List<String[]> rows() {
        String[] labels = {"train", "test", "train", "validation", "train", "train", "test", "train", "validation", "train"};
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            String text = "O texto " + i + " fala da ação número " + (i * 7) + ". A segunda frase diz \"aspas\", vírgulas e "
                    + "mais " + i + ".\nA terceira frase, nova linha, cita " + (100 + i) + " pessoas. A quarta fica de fora "
                    + "do Lead-3 com " + (i % 3) + " palavras.";
            String summary = "O texto " + i + " fala da ação e de " + (100 + i) + " pessoas.";
            rows.add(new String[] {String.format("t%02d", i), text, summary, labels[i]});
        }
        return rows;
    }

    private String jsonl(String name, List<String[]> rows, boolean withSplit) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            ObjectNode o = JSON.createObjectNode().put("id", r[0]).put("text", r[1]).put("summary", r[2]);
            if (withSplit) o.put("split", r[3]);
            b.append(JSON.writeValueAsString(o)).append('\n');
        }
        return write(name, b.toString());
    }

    private static String delimited(List<String[]> rows, char delimiter) {
        StringBuilder b = new StringBuilder("id" + delimiter + "text" + delimiter + "summary" + delimiter + "split\n");
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                if (i > 0) b.append(delimiter);
                b.append('"').append(r[i].replace("\"", "\"\"")).append('"');
            }
            b.append('\n');
        }
        return b.toString();
    }

    private String write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p.toString();
    }

    private String gzip(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content.getBytes(StandardCharsets.UTF_8));
        }
        Path p = dir.resolve(name);
        Files.write(p, bytes.toByteArray());
        return p.toString();
    }

    private static String report(String dataset, String split) {
        CliRun r = CliRun.run("baseline", "--dataset", dataset, "--split", split, "--json", "--bootstrap-samples", "200");
        assertEquals(0, r.code(), dataset + ": " + r.err());
        return r.out();
    }

    @Test
    void csvTsvAndGzipGiveTheScoresOfTheSameRowsAsJsonLines() throws Exception {
        List<String[]> rows = rows();
        String jsonl = jsonl("rows.jsonl", rows, true);
        List<String> sources = List.of(
                write("rows.csv", delimited(rows, ',')),
                write("rows.tsv", delimited(rows, '\t')),
                gzip("rows.csv.gz", delimited(rows, ',')),
                gzip("rows.tsv.gz", delimited(rows, '\t')),
                gzip("rows.jsonl.gz", Files.readString(Path.of(jsonl))));
        for (String split : List.of("test", "validation", "train", "all")) {
            String expected = report(jsonl, split);
            for (String source : sources) assertEquals(expected, report(source, split), source + " --split " + split);
        }
    }

    @Test
    void temarioFoldersInCp1252AndUtf8GiveTheScoresOfTheSameRowsAsJsonLines() throws Exception {
        // TeMário has no split labels: train's seeded ratio split applies to both sources, in id order.
        List<String[]> rows = rows();
        String jsonl = jsonl("temario.jsonl", rows, false);
        for (Charset charset : List.of(Charset.forName("windows-1252"), StandardCharsets.UTF_8)) {
            Path root = dir.resolve("temario-" + charset.name());
            Files.createDirectories(root.resolve("Textos-fonte"));
            Files.createDirectories(root.resolve("SumManuais"));
            for (String[] r : rows) {
                Files.write(root.resolve("Textos-fonte").resolve(r[0] + ".txt"), r[1].getBytes(charset));
                Files.write(root.resolve("SumManuais").resolve("Sum-" + r[0] + ".txt"), r[2].getBytes(charset));
            }
            for (String split : List.of("test", "all")) {
                assertEquals(report(jsonl, split), report(root.toString(), split), root + " --split " + split);
            }
        }
    }

    @Test
    void anXlsumFolderGivesTheScoresOfTheSameRowsAsJsonLines() throws Exception {
        List<String[]> rows = rows();
        String jsonl = jsonl("xlsum.jsonl", rows, true);
        Path root = dir.resolve("xlsum");
        Files.createDirectories(root);
        for (String[] file : new String[][] {{"train", "train"}, {"validation", "val"}, {"test", "test"}}) {
            StringBuilder b = new StringBuilder();
            for (String[] r : rows) {
                if (!r[3].equals(file[0])) continue;
                b.append(JSON.writeValueAsString(JSON.createObjectNode().put("id", r[0]).put("url", "u").put("title", "t")
                        .put("summary", r[2]).put("text", r[1]))).append('\n');
            }
            Files.writeString(root.resolve("portuguese_" + file[1] + ".jsonl"), b.toString());
        }
        for (String split : List.of("test", "validation", "all")) {
            assertEquals(report(jsonl, split), report(root.toString(), split), "--split " + split);
        }
    }

    /** A hub id goes through the same loader: fetched through HF_ENDPOINT, it scores as the archive it names does here. */
    @Test
    void aHubDatasetIdGivesTheScoresOfItsArchive() throws Exception {
        // The tiny XL-Sum fixture of the train module (weights-tools/make_xlsum_fixture.py); tests run in cli/.
        Path fixture = Path.of("..", "train", "src", "test", "resources", "data", "portuguese_XLSum_v2.0.tar.bz2");
        assertTrue(Files.isRegularFile(fixture), "fixture missing: " + fixture.toAbsolutePath());
        String local = report(fixture.toString(), "all");
        byte[] archive = Files.readAllBytes(fixture);
        HttpServer hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", ex -> {
            try (ex) {
                boolean found = ex.getRequestURI().getRawPath().equals("/datasets/csebuetnlp/xlsum/resolve/main/data/portuguese_XLSum_v2.0.tar.bz2");
                byte[] body = found ? archive : "not found".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(found ? 200 : 404, body.length);
                ex.getResponseBody().write(body);
            }
        });
        hub.start();
        try {
            Process p = ChildTrain.command(dir, URI.create("http://127.0.0.1:" + hub.getAddress().getPort()), "baseline",
                    "--dataset", "csebuetnlp/xlsum:portuguese", "--split", "all", "--json", "--bootstrap-samples", "200").start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "baseline did not finish in 120 s");
            String out = Files.readString(dir.resolve("out.txt")); // stdout and stderr together
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains(local.strip()), "expected the archive's report " + local + " in: " + out);
        } finally {
            hub.stop(0);
        }
    }

    /**
     * Parquet (train's fixtures, parquet/make_parquet_fixtures.py: dictionary + Snappy + v1 pages, delta
     * encodings + ZSTD + v2 pages) scores as the same rows in JSON lines do, nulls and all.
     */
    @Test
    void aParquetFileGivesTheScoresOfTheSameRowsAsJsonLines() {
        Path fixtures = Path.of("..", "train", "src", "test", "resources", "parquet");
        assertTrue(Files.isRegularFile(fixtures.resolve("expected.jsonl")), "fixtures missing: " + fixtures.toAbsolutePath());
        for (String split : List.of("test", "validation", "all")) {
            String expected = report(fixtures.resolve("expected.jsonl").toString(), split);
            for (String file : List.of("snappy_dict_v1.parquet", "zstd_delta_v2.parquet")) {
                assertEquals(expected, report(fixtures.resolve(file).toString(), split), file + " --split " + split);
            }
        }
    }

    /**
     * A local copy of a hub dataset with two configurations, as huggingface-cli download leaves it:
     * DIR:pt (a path that does not exist as such) reads pt/'s split files, the rows of the JSON-lines file.
     */
    @Test
    void aLocalCopyOfAHubDatasetWithColonConfigGivesTheScoresOfTheSameRows() throws Exception {
        List<String[]> rows = rows();
        String jsonl = jsonl("rows.jsonl", rows, true);
        Path copy = dir.resolve("hub-copy");
        for (String split : List.of("train", "validation", "test")) {
            Files.createDirectories(copy.resolve("pt"));
            jsonl("hub-copy/pt/" + split + ".jsonl", rows.stream().filter(r -> r[3].equals(split)).toList(), false);
        }
        Files.createDirectories(copy.resolve(".cache"));
        jsonl("hub-copy/.cache/test.jsonl", rows.subList(0, 1), false); // huggingface-cli's metadata folder: never read
        Files.createDirectories(copy.resolve("en"));
        jsonl("hub-copy/en/train.jsonl", rows.subList(0, 2), false);
        Files.writeString(copy.resolve("README.md"), "# dataset card\n");
        for (String split : List.of("test", "validation")) {
            assertEquals(report(jsonl, split), report(copy + ":pt", split), "--split " + split);
        }
    }

    @Test
    void columnFlagsApplyToCsvAsToJsonLines() throws Exception {
        String csv = write("cols.csv", "doc,ref,split\n\"Um. Dois. Tres. Quatro.\",Um.,test\n");
        String jsonl = write("cols.jsonl", "{\"doc\": \"Um. Dois. Tres. Quatro.\", \"ref\": \"Um.\", \"split\": \"test\"}\n");
        for (String flags : List.of("--text-column doc --summary-column ref", "--text-field doc --summary-field ref")) {
            List<String> args = new ArrayList<>(List.of("baseline", "--json", "--dataset"));
            String[] f = flags.split(" ");
            CliRun fromCsv = CliRun.run(with(args, csv, f)), fromJsonl = CliRun.run(with(args, jsonl, f));
            assertEquals(0, fromCsv.code(), fromCsv.err());
            assertEquals(fromJsonl.out(), fromCsv.out(), flags);
        }
    }

    private static String[] with(List<String> head, String dataset, String[] flags) {
        List<String> all = new ArrayList<>(head);
        all.add(dataset);
        all.addAll(List.of(flags));
        return all.toArray(String[]::new);
    }

    /** Bad sources: the line train prints for each, after its command name, is the line baseline prints. */
    @Test
    void badSourcesGiveTrainsErrors() throws Exception {
        Path model = TinyRandomModel.create(dir);
        Path neither = dir.resolve("neither");
        Files.createDirectories(neither);
        List<String> bad = List.of(
                dir.resolve("missing.csv").toString(),
                write("data.txt", "{\"text\": \"Um. Dois.\", \"summary\": \"Um.\", \"split\": \"test\"}\n"),
                write("nocols.csv", "doc,ref\nUm. Dois.,Um.\n"),
                write("nocols.jsonl", "{\"doc\": \"Um. Dois.\", \"ref\": \"Um.\"}\n"),
                write("broken.jsonl", "{\"text\": \"Um.\n"),
                write("empty.tsv", ""),
                neither.toString());
        for (String source : bad) {
            CliRun train = CliRun.run("train", "--model", model.toString(), "--dataset", source,
                    "--output-dir", dir.resolve("run-" + Path.of(source).getFileName()).toString(), "--max-steps", "1");
            CliRun baseline = CliRun.run("baseline", "--dataset", source);
            assertOneLineError(train, "resumo train: ");
            assertOneLineError(baseline, "resumo baseline: ");
            assertEquals(train.err().strip().substring("resumo train: ".length()),
                    baseline.err().strip().substring("resumo baseline: ".length()), source);
        }
    }

    @Test
    void splitNamesAreEvalsAndAnUnknownOneIsRefused() throws Exception {
        String jsonl = jsonl("rows.jsonl", rows(), true);
        assertEquals(report(jsonl, "validation"), report(jsonl, "dev"));
        CliRun holdout = CliRun.run("baseline", "--dataset", jsonl, "--split", "holdout");
        assertOneLineError(holdout, "resumo baseline: --split must be train, validation, test or all, got 'holdout'");
    }

    /**
     * Text and summary from one column: train found it only in the dataset loader, after the model had
     * loaded, and eval at once, both as an internal error with a stack trace (Columns' IllegalArgumentException).
     */
    @Test
    void oneColumnForTextAndSummaryIsTheSameOneLineErrorInTrainEvalAndBaseline() throws Exception {
        String jsonl = jsonl("rows.jsonl", rows(), true);
        Path model = TinyRandomModel.create(dir);
        String expected = "--text-column and --summary-column name the same column ('summary')";
        for (String[] args : List.of(
                new String[] {"train", "--model", model.toString(), "--output-dir", dir.resolve("run").toString()},
                new String[] {"eval", "--model", model.toString()},
                new String[] {"baseline"})) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--dataset", jsonl, "--text-column", "summary"));
            CliRun r = CliRun.run(all.toArray(String[]::new));
            assertOneLineError(r, "resumo " + args[0] + ": ");
            assertEquals("resumo " + args[0] + ": " + expected, r.err().strip());
        }
        assertOneLineError(CliRun.run("baseline", "--dataset", jsonl, "--summary-column", " "),
                "resumo baseline: --summary-column must not be empty");
    }

    private static void assertOneLineError(CliRun r, String start) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        assertTrue(r.err().startsWith(start), "'" + start + "' expected at the start of: " + r.err());
    }
}
