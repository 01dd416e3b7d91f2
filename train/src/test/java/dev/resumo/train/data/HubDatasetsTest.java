package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.t5.hub.HubClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hub dataset ids fetched from a loopback server in the hub's layout. */
class HubDatasetsTest {
    private static final String XLSUM = "csebuetnlp/xlsum";
    private static final String TEMARIO = "VictorNGomes/CorpusTeMario";

    private static FakeDatasetHub hub() throws Exception {
        FakeDatasetHub hub = new FakeDatasetHub();
        hub.put(XLSUM, "README.md", "# xlsum".getBytes(StandardCharsets.UTF_8));
        hub.put(XLSUM, "xlsum.py", "# loading script".getBytes(StandardCharsets.UTF_8));
        hub.put(XLSUM, "data/portuguese_XLSum_v2.0.tar.bz2", Files.readAllBytes(Fixtures.resource("portuguese_XLSum_v2.0.tar.bz2")));
        // TeMário-like: one CSV per split, Portuguese column names (texto, sumario) as the dataset uses.
        hub.put(TEMARIO, ".gitattributes", "*.csv text".getBytes(StandardCharsets.UTF_8));
        hub.put(TEMARIO, "data/train.csv", csv("Primeiro texto de treino.", "Resumo um.", "Segundo texto de treino.", "Resumo dois."));
        hub.put(TEMARIO, "data/validation.csv", csv("Texto de validação.", "Resumo três."));
        hub.put(TEMARIO, "data/test.csv", csv("Texto de teste.", "Resumo quatro."));
        // What datasets' push_to_hub writes: one Parquet file per split under data/.
        hub.put("org/parquet-only", "README.md", "---\nconfigs: ...".getBytes(StandardCharsets.UTF_8));
        hub.put("org/parquet-only", "data/train-00000-of-00001.parquet", parquet("types_v2.parquet"));
        return hub;
    }

    private static byte[] parquet(String name) throws java.io.IOException {
        return Files.readAllBytes(ParquetDatasetTest.parquet(name));
    }

    private static byte[] csv(String... textSummary) {
        StringBuilder s = new StringBuilder("texto,sumario\n");
        for (int i = 0; i < textSummary.length; i += 2) s.append('"').append(textSummary[i]).append("\",\"").append(textSummary[i + 1]).append("\"\n");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static HubDatasets datasets(FakeDatasetHub hub, Path cache, String token) {
        return new HubDatasets(new HubClient(hub.endpoint(), token, null), cache, null);
    }

    @Test
    void xlsumLanguageIsItsArchiveFetchedOnceThenReadFromTheCache(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = hub()) {
            Dataset d = datasets(hub, cache, null).load("csebuetnlp/xlsum:portuguese", DatasetOptions.DEFAULT.withStrict(true));
            assertEquals(List.of("pt-001", "pt-002", "pt-003"), d.train().stream().map(Example::id).toList());
            assertEquals("pt-004", d.validation().get(0).id());
            assertEquals(List.of("/datasets/csebuetnlp/xlsum/resolve/main/data/portuguese_XLSum_v2.0.tar.bz2"), hub.requests);
            assertTrue(Files.isRegularFile(cache.resolve("datasets/csebuetnlp--xlsum/main/data/portuguese_XLSum_v2.0.tar.bz2")));

            Dataset again = datasets(hub, cache, null).load("csebuetnlp/xlsum:portuguese", DatasetOptions.DEFAULT);
            assertEquals(3, again.train().size());
            assertEquals(1, hub.requests.size(), "second load must come from the cache: " + hub.requests);
        }
    }

    @Test
    void listedSplitFilesWithTheDatasetsOwnColumnNames(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = hub()) {
            Dataset d = datasets(hub, cache, null).load(TEMARIO, DatasetOptions.DEFAULT.withStrict(true));
            assertEquals(List.of("Resumo um.", "Resumo dois."), d.train().stream().map(Example::summary).toList());
            assertEquals("Texto de validação.", d.validation().get(0).text());
            assertEquals("Resumo quatro.", d.test().get(0).summary());
            assertTrue(hub.requests.contains("/api/datasets/VictorNGomes/CorpusTeMario/revision/main"), hub.requests.toString());
            assertFalse(hub.requests.stream().anyMatch(r -> r.endsWith(".gitattributes")), "only data files are fetched");
        }
    }

    @Test
    void aListedDatasetFetchedOnceLoadsAgainWithoutTheHub(@TempDir Path cache) throws Exception {
        java.net.URI gone;
        try (FakeDatasetHub hub = hub()) {
            assertEquals(2, datasets(hub, cache, null).load(TEMARIO, DatasetOptions.DEFAULT).train().size());
            gone = hub.endpoint();
        }
        // Offline now (the hub's port is closed): the file list and the files come from the cache. The
        // list used to be asked of the hub on every run, so a cached dataset could not load offline.
        Dataset again = new HubDatasets(new HubClient(gone, null, null), cache, null).load(TEMARIO, DatasetOptions.DEFAULT);
        assertEquals(List.of("Resumo um.", "Resumo dois."), again.train().stream().map(Example::summary).toList());
        assertEquals("Resumo quatro.", again.test().get(0).summary());
    }

    /** Split files compressed with gzip, as many hub datasets ship them: listed, fetched and read. */
    @Test
    void gzipCompressedSplitFilesAreDataFiles(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = hub()) {
            hub.put("org/gz", "data/train.jsonl.gz", gzip("{\"text\": \"Texto um.\", \"summary\": \"Um.\"}\n"
                    + "{\"text\": \"Texto dois.\", \"summary\": \"Dois.\"}\n"));
            hub.put("org/gz", "data/test.jsonl.gz", gzip("{\"text\": \"Texto três.\", \"summary\": \"Três.\"}\n"));
            Dataset d = datasets(hub, cache, null).load("org/gz", DatasetOptions.DEFAULT.withStrict(true));
            assertEquals(List.of("Um.", "Dois."), d.train().stream().map(Example::summary).toList());
            assertEquals("Três.", d.test().get(0).summary());
        }
    }

    private static byte[] gzip(String text) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(bytes)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void tokenIsSentAndItsAbsenceIsExplained(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = hub()) {
            hub.requiredToken = "hf_secret";
            DatasetException e = assertThrows(DatasetException.class,
                    () -> datasets(hub, cache, null).load("csebuetnlp/xlsum:portuguese", DatasetOptions.DEFAULT));
            assertTrue(e.getMessage().contains("401") && e.getMessage().contains("HF_TOKEN"), e.getMessage());
            assertEquals(3, datasets(hub, cache, "hf_secret").load("csebuetnlp/xlsum:portuguese", DatasetOptions.DEFAULT).train().size());
        }
    }

    @Test
    void missingFilesReposAndConfigsAreNamed(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = hub()) {
            HubDatasets d = datasets(hub, cache, null);
            DatasetException lang = assertThrows(DatasetException.class, () -> d.load("csebuetnlp/xlsum:klingon", DatasetOptions.DEFAULT));
            assertTrue(lang.getMessage().contains("data/klingon_XLSum_v2.0.tar.bz2 not found"), lang.getMessage());
            DatasetException repo = assertThrows(DatasetException.class, () -> d.load("nobody/nothing", DatasetOptions.DEFAULT));
            assertTrue(repo.getMessage().contains("repository nobody/nothing not found"), repo.getMessage());
            DatasetException config = assertThrows(DatasetException.class, () -> d.load(XLSUM, DatasetOptions.DEFAULT));
            assertTrue(config.getMessage().contains("csebuetnlp/xlsum:portuguese"), config.getMessage());
            assertFalse(Files.exists(cache.resolve("datasets/csebuetnlp--xlsum/main/data/klingon_XLSum_v2.0.tar.bz2")));
        }
    }

    /** A Parquet-only dataset (refused before Resumo read Parquet): its one file is the whole dataset. */
    @Test
    void aParquetOnlyDatasetLoads(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = hub()) {
            Dataset d = datasets(hub, cache, null).load("org/parquet-only", DatasetOptions.DEFAULT.withRatio(new SplitPlan(0, 0, 1)).withStrict(true));
            assertEquals(List.of("Primeiro texto obrigatório.", "Segundo texto, também obrigatório.", "Terceiro."),
                    d.train().stream().map(Example::text).toList());
            assertFalse(hub.requests.stream().anyMatch(r -> r.endsWith("README.md")), hub.requests.toString());
        }
    }

    /**
     * push_to_hub's layout with a split in two shards: data/train-00000-of-00002.parquet and
     * data/train-00001-of-00002.parquet are both read, in shard order; per-configuration folders
     * (CONFIG/train-....parquet) are picked with :CONFIG.
     */
    @Test
    void parquetShardsOfASplitAreAllRead(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = hub()) {
            // Listed out of order: the shard index, not the listing, orders the rows.
            for (String shard : List.of("train-00001-of-00002", "validation-00000-of-00001", "train-00000-of-00002", "test-00000-of-00001")) {
                hub.put("org/shards", "data/" + shard + ".parquet", parquet("hub/" + shard + ".parquet"));
                hub.put("org/configs", "pt/" + shard + ".parquet", parquet("hub/" + shard + ".parquet"));
            }
            hub.put("org/configs", "en/train-00000-of-00001.parquet", parquet("hub/test-00000-of-00001.parquet"));
            for (String spec : List.of("org/shards", "org/configs:pt")) {
                Dataset d = datasets(hub, cache, null).load(spec, DatasetOptions.DEFAULT.withStrict(true));
                assertEquals(List.of("Zero um.", "Zero dois.", "Um um."), d.train().stream().map(Example::summary).toList(), spec);
                assertEquals(List.of("Validação."), d.validation().stream().map(Example::summary).toList(), spec);
                assertEquals(List.of("Texto de teste, com acentuação."), d.test().stream().map(Example::text).toList(), spec);
            }
            DatasetException two = assertThrows(DatasetException.class, () -> datasets(hub, cache, null).load("org/configs", DatasetOptions.DEFAULT));
            assertTrue(two.getMessage().contains("look like the same split") && two.getMessage().contains(":CONFIG"), two.getMessage());
        }
    }

    @Test
    void aShardMissingFromTheListingIsAnError(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = hub()) {
            hub.put("org/half", "data/train-00000-of-00002.parquet", parquet("hub/train-00000-of-00002.parquet"));
            hub.put("org/half", "data/test-00000-of-00001.parquet", parquet("hub/test-00000-of-00001.parquet"));
            DatasetException e = assertThrows(DatasetException.class, () -> datasets(hub, cache, null).load("org/half", DatasetOptions.DEFAULT));
            assertTrue(e.getMessage().contains("1 of the 2 shards of data/train-*-of-00002.parquet are listed"), e.getMessage());
            assertFalse(hub.requests.stream().anyMatch(r -> r.contains("/resolve/")), "nothing fetched: " + hub.requests);
        }
    }

    @Test
    void hubIdsAreToldApartFromPaths() {
        assertTrue(HubDatasets.isHubId("csebuetnlp/xlsum:portuguese"));
        assertTrue(HubDatasets.isHubId("VictorNGomes/CorpusTeMario@v1"));
        assertFalse(HubDatasets.isHubId("data/x.jsonl"));
        assertFalse(HubDatasets.isHubId("portuguese_XLSum_v2.0.tar.bz2"));
        assertFalse(HubDatasets.isHubId("data/train-00000-of-00001.parquet"));
    }
}
