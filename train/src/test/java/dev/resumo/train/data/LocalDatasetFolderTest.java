package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local folder laid out like a hub dataset, as huggingface-cli download or git clone leaves it,
 * given as --dataset DIR or DIR:CONFIG: its files are picked by the rule a hub listing is.
 */
class LocalDatasetFolderTest {
    private static final List<String> SHARDS = List.of("train-00001-of-00002", "validation-00000-of-00001", "train-00000-of-00002", "test-00000-of-00001");

    private static Path copy(Path dir, String file, String fixture) throws IOException {
        Path target = dir.resolve(file);
        Files.createDirectories(target.getParent());
        return Files.copy(ParquetDatasetTest.parquet("hub/" + fixture + ".parquet"), target);
    }

    private static Path write(Path dir, String file, String text) throws IOException {
        Path target = dir.resolve(file);
        Files.createDirectories(target.getParent());
        return Files.writeString(target, text, StandardCharsets.UTF_8);
    }

    /** What huggingface-cli download --local-dir leaves beside the data: its metadata, the repo's README and attributes. */
    private static void hubLeftovers(Path dir) throws IOException {
        write(dir, "README.md", "---\nconfigs: ...\n---\n");
        write(dir, ".gitattributes", "*.parquet filter=lfs diff=lfs merge=lfs -text\n");
        write(dir, ".cache/huggingface/download/data/train-00000-of-00002.parquet.metadata", "abc\n");
        // Data-looking files in hidden folders would be a second test split if read.
        write(dir, ".cache/huggingface/test.jsonl", "{\"text\": \"Oculto.\", \"summary\": \"Oculto.\"}\n");
        write(dir, ".git/lfs/test.csv", "text,summary\nOculto.,Oculto.\n");
    }

    private static Dataset load(String spec) {
        return HubDatasets.load(spec, null, DatasetOptions.DEFAULT.withStrict(true));
    }

    private static void assertShardRows(Dataset d, String spec) {
        assertEquals(List.of("Zero um.", "Zero dois.", "Um um."), d.train().stream().map(Example::summary).toList(), spec);
        assertEquals(List.of("Validação."), d.validation().stream().map(Example::summary).toList(), spec);
        assertEquals(List.of("Texto de teste, com acentuação."), d.test().stream().map(Example::text).toList(), spec);
    }

    @Test
    void metadataJsonBesideTheDataIsNotData(@TempDir Path dir) throws Exception {
        // dataset_infos.json (older hub repos), save_to_disk's dataset_dict.json and state.json
        // describe the data: counted as data, a lone Parquet file beside them was "two files, none
        // named for the train split".
        copy(dir, "data.parquet", "train-00000-of-00002");
        write(dir, "dataset_infos.json", "{\"default\": {\"features\": {}}}\n");
        write(dir, "dataset_dict.json", "{\"splits\": [\"train\"]}\n");
        write(dir, "state.json", "{\"_data_files\": []}\n");
        Dataset d = HubDatasets.load(dir.toString(), null, DatasetOptions.DEFAULT);
        assertEquals(2, d.train().size() + d.validation().size() + d.test().size());
    }

    @Test
    void pushToHubShardsInDataLoadAsTheHubIdDoes(@TempDir Path dir) throws Exception {
        for (String shard : SHARDS) copy(dir, "data/" + shard + ".parquet", shard);
        hubLeftovers(dir);
        assertShardRows(load(dir.toString()), dir.toString());
    }

    @Test
    void configFoldersArePickedWithColonConfig(@TempDir Path dir) throws Exception {
        for (String shard : SHARDS) copy(dir, "pt/" + shard + ".parquet", shard);
        copy(dir, "en/train-00000-of-00001.parquet", "test-00000-of-00001");
        hubLeftovers(dir);
        assertShardRows(load(dir + ":pt"), dir + ":pt");

        DatasetException both = assertThrows(DatasetException.class, () -> load(dir.toString()));
        assertTrue(both.getMessage().startsWith("dataset folder " + dir + ": "), both.getMessage());
        assertTrue(both.getMessage().contains("configs found: en, pt") && both.getMessage().contains(":CONFIG"), both.getMessage());
        DatasetException none = assertThrows(DatasetException.class, () -> load(dir + ":klingon"));
        assertTrue(none.getMessage().contains(dir.toString()) && none.getMessage().contains("for 'klingon'")
                && none.getMessage().contains("configs found: en, pt"), none.getMessage());
    }

    /** A clone of the refs/convert/parquet revision: CONFIG/SPLIT/0000.parquet, partial-SPLIT said in the log. */
    @Test
    void theParquetConversionLayoutLoads(@TempDir Path dir) throws Exception {
        copy(dir, "default/partial-train/0001.parquet", "train-00001-of-00002");
        copy(dir, "default/partial-train/0000.parquet", "train-00000-of-00002");
        copy(dir, "default/validation/0000.parquet", "validation-00000-of-00001");
        copy(dir, "default/test/0000.parquet", "test-00000-of-00001");
        hubLeftovers(dir);
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Dataset d = HubDatasets.load(dir.toString(), new PrintStream(logged, true, StandardCharsets.UTF_8), DatasetOptions.DEFAULT.withStrict(true));
        assertShardRows(d, dir.toString());
        String said = logged.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains(dir.toString()) && said.contains("default/partial-train/ is partial"), said);
    }

    @Test
    void jsonlFilesNamedBySplit(@TempDir Path dir) throws Exception {
        write(dir, "train.jsonl", "{\"text\": \"Texto um.\", \"summary\": \"Um.\"}\n{\"text\": \"Texto dois.\", \"summary\": \"Dois.\"}\n");
        write(dir, "validation.jsonl", "{\"text\": \"Texto três.\", \"summary\": \"Três.\"}\n");
        hubLeftovers(dir);
        Dataset d = load(dir.toString());
        assertEquals(List.of("Um.", "Dois."), d.train().stream().map(Example::summary).toList());
        assertEquals(List.of("Três."), d.validation().stream().map(Example::summary).toList());
        assertTrue(d.test().isEmpty());
    }

    /** TeMário and XL-Sum folders are recognized first, as before, even with split-named files beside them. */
    @Test
    void temarioAndXlsumFoldersKeepPriority(@TempDir Path dir) throws Exception {
        Path temario = dir.resolve("temario");
        try (Stream<Path> files = Files.walk(Fixtures.resource("temario"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = temario.resolve(Fixtures.resource("temario").relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
        write(temario, "train.jsonl", "{\"text\": \"Não é TeMário.\", \"summary\": \"Não.\"}\n");
        Dataset t = HubDatasets.load(temario.toString(), null, DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)));
        assertEquals(DatasetLoader.load(Fixtures.resource("temario"), DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1))).train().size(),
                t.train().size());
        assertFalse(t.train().stream().anyMatch(e -> e.summary().equals("Não.")));

        // Two languages' files: the XL-Sum reader's error, which the hub rule (train + val by name) would not give.
        Path xlsum = dir.resolve("xlsum");
        write(xlsum, "portuguese_train.jsonl", "{\"id\": \"a\", \"text\": \"Texto.\", \"summary\": \"Resumo.\"}\n");
        write(xlsum, "spanish_val.jsonl", "{\"id\": \"b\", \"text\": \"Texto dos.\", \"summary\": \"Resumen.\"}\n");
        DatasetException e = assertThrows(DatasetException.class, () -> load(xlsum.toString()));
        assertTrue(e.getMessage().contains("XL-Sum split files of two languages"), e.getMessage());
        DatasetException config = assertThrows(DatasetException.class, () -> load(temario + ":pt"));
        assertTrue(config.getMessage().contains(temario.toString()) && config.getMessage().contains("without :pt"), config.getMessage());
    }

    @Test
    void aFolderWithNoDataSaysWhatItFound(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        DatasetException e = assertThrows(DatasetException.class, () -> load(empty.toString()));
        assertEquals(empty + ": a folder that is neither TeMário (Textos-fonte/ + SumManuais/), XL-Sum (<language>_train.jsonl ...) nor laid out"
                + " like a hub dataset (data/train-00000-of-00001.parquet, train.jsonl, CONFIG/train/0000.parquet ...); found nothing", e.getMessage());
        Path docs = dir.resolve("docs");
        write(docs, "README.md", "# x\n");
        write(docs, "notes.txt", "x\n");
        write(docs, ".cache/train.jsonl", "{}\n");
        e = assertThrows(DatasetException.class, () -> load(docs.toString()));
        assertTrue(e.getMessage().startsWith(docs + ": ") && e.getMessage().endsWith("found README.md, notes.txt"), e.getMessage());
        e = assertThrows(DatasetException.class, () -> load(dir.resolve("nothing") + ":pt"));
        assertTrue(e.getMessage().contains("nothing:pt: no such file or folder"), e.getMessage());
    }

    /** DIR:CONFIG names DIR on disk: not a hub id, and what commands check exists and keep their runs out of. */
    @Test
    void aLocalFolderWithAConfigIsNotAHubId() {
        // Surefire runs in the module folder, where src/test exists; "src/test:pt" has the shape of ORG/NAME:CONFIG.
        assertFalse(HubDatasets.isHubId("src/test:pt"));
        assertEquals(Path.of("src/test"), HubDatasets.localPath("src/test:pt"));
        assertEquals(null, HubDatasets.localPath("org/name:pt"));
        assertTrue(HubDatasets.isHubId("org/name:pt@refs/convert/parquet"));
    }
}
