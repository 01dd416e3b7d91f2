package dev.resumo.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.t5.hub.HubClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's automatic Parquet conversion, revision {@code refs/convert/parquet}: files
 * {@code CONFIG/SPLIT/0000.parquet}, {@code 0001.parquet} ..., {@code CONFIG/partial-SPLIT/...} for a
 * split converted only in part. The split is the folder's name; the revision goes into the listing
 * and download URLs as one percent-encoded segment, as huggingface_hub sends it.
 */
class ParquetConversionRevisionTest {
    private static final String REVISION = "refs/convert/parquet";
    private static final String ENCODED = "refs%2Fconvert%2Fparquet";

    private static byte[] shard(String name) throws java.io.IOException {
        return Files.readAllBytes(ParquetDatasetTest.parquet("hub/" + name + ".parquet"));
    }

    private static HubDatasets datasets(FakeDatasetHub hub, Path cache, PrintStream log) {
        return new HubDatasets(new HubClient(hub.endpoint(), null, null), cache, log);
    }

    @Test
    void splitFoldersOfTheConversionAreTheSplits(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = new FakeDatasetHub()) {
            // main holds the dataset's own files (a loading script): the revision's files must be the ones read.
            hub.put("org/conv", "conv.py", "# loading script".getBytes(StandardCharsets.UTF_8));
            hub.put("org/conv", REVISION, ".gitattributes", "*.parquet filter=lfs".getBytes(StandardCharsets.UTF_8));
            // Listed out of order: the part number, not the listing, orders the rows.
            hub.put("org/conv", REVISION, "default/train/0001.parquet", shard("train-00001-of-00002"));
            hub.put("org/conv", REVISION, "default/train/0000.parquet", shard("train-00000-of-00002"));
            hub.put("org/conv", REVISION, "default/validation/0000.parquet", shard("validation-00000-of-00001"));
            hub.put("org/conv", REVISION, "default/test/0000.parquet", shard("test-00000-of-00001"));

            Dataset d = datasets(hub, cache, null).load("org/conv@" + REVISION, DatasetOptions.DEFAULT.withStrict(true));
            assertEquals(List.of("Zero um.", "Zero dois.", "Um um."), d.train().stream().map(Example::summary).toList());
            assertEquals(List.of("Validação."), d.validation().stream().map(Example::summary).toList());
            assertEquals(List.of("Texto de teste, com acentuação."), d.test().stream().map(Example::text).toList());

            // What the server received: the revision as one encoded segment, in the API call and every download.
            assertTrue(hub.requests.contains("/api/datasets/org/conv/revision/" + ENCODED), hub.requests.toString());
            assertTrue(hub.requests.contains("/datasets/org/conv/resolve/" + ENCODED + "/default/train/0001.parquet"), hub.requests.toString());
            assertFalse(hub.requests.stream().anyMatch(r -> r.contains(REVISION)), hub.requests.toString());
            assertTrue(Files.isRegularFile(cache.resolve("datasets/org--conv/refs--convert--parquet/default/train/0001.parquet")));
        }
    }

    /** Several configurations: :CONFIG picks one, and without it the error names them; partial-train is the train split, said in the log. */
    @Test
    void configsAreChosenAndAPartialSplitIsSaid(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = new FakeDatasetHub()) {
            hub.put("org/multi", REVISION, "en/train/0000.parquet", shard("test-00000-of-00001"));
            hub.put("org/multi", REVISION, "en/test/0000.parquet", shard("validation-00000-of-00001"));
            hub.put("org/multi", REVISION, "pt/partial-train/0000.parquet", shard("train-00000-of-00002"));
            hub.put("org/multi", REVISION, "pt/partial-train/0001.parquet", shard("train-00001-of-00002"));
            hub.put("org/multi", REVISION, "pt/validation/0000.parquet", shard("validation-00000-of-00001"));
            hub.put("org/multi", REVISION, "pt/test/0000.parquet", shard("test-00000-of-00001"));
            ByteArrayOutputStream logged = new ByteArrayOutputStream();
            PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

            Dataset d = datasets(hub, cache, log).load("org/multi:pt@" + REVISION, DatasetOptions.DEFAULT.withStrict(true));
            assertEquals(List.of("Zero um.", "Zero dois.", "Um um."), d.train().stream().map(Example::summary).toList());
            assertEquals(1, d.validation().size());
            String said = logged.toString(StandardCharsets.UTF_8);
            assertEquals(1, said.lines().filter(l -> l.contains("partial")).count(), said);
            assertTrue(said.contains("pt/partial-train/ is partial") && said.contains("train split"), said);

            DatasetException both = assertThrows(DatasetException.class,
                    () -> datasets(hub, cache, null).load("org/multi@" + REVISION, DatasetOptions.DEFAULT));
            assertTrue(both.getMessage().startsWith("dataset 'org/multi@refs/convert/parquet': "), both.getMessage());
            assertTrue(both.getMessage().contains("configs found: en, pt") && both.getMessage().contains(":CONFIG"), both.getMessage());
        }
    }

    /**
     * `resumo train` resolves (fetches) before it loads the model and reads the rows later: the
     * partial-split note is said once, when resolving, and reading the resolved files says nothing
     * more and asks the hub for nothing more (it used to fetch, note and list again at load).
     */
    @Test
    void resolvingSaysThePartialSplitOnceAndLoadingAddsNothing(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = new FakeDatasetHub()) {
            hub.put("org/part", REVISION, "default/partial-train/0000.parquet", shard("train-00000-of-00002"));
            hub.put("org/part", REVISION, "default/partial-train/0001.parquet", shard("train-00001-of-00002"));
            hub.put("org/part", REVISION, "default/validation/0000.parquet", shard("validation-00000-of-00001"));
            ByteArrayOutputStream logged = new ByteArrayOutputStream();
            DatasetFiles files = datasets(hub, cache, new PrintStream(logged, true, StandardCharsets.UTF_8)).resolve("org/part@" + REVISION);
            String resolving = logged.toString(StandardCharsets.UTF_8);
            assertEquals(1, resolving.lines().filter(l -> l.contains("partial-train/ is partial")).count(), resolving);
            int requests = hub.requests.size();

            Dataset d = files.load(DatasetOptions.DEFAULT.withStrict(true));
            assertEquals(List.of("Zero um.", "Zero dois.", "Um um."), d.train().stream().map(Example::summary).toList());
            assertEquals(resolving, logged.toString(StandardCharsets.UTF_8));
            assertEquals(requests, hub.requests.size(), hub.requests.toString());
        }
    }

    /** No count is written with the parts: a gap in the numbers is a missing part, refused before any download. */
    @Test
    void aMissingPartIsAnError(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = new FakeDatasetHub()) {
            hub.put("org/gap", REVISION, "default/train/0000.parquet", shard("train-00000-of-00002"));
            hub.put("org/gap", REVISION, "default/train/0002.parquet", shard("train-00001-of-00002"));
            hub.put("org/gap", REVISION, "default/test/0000.parquet", shard("test-00000-of-00001"));
            DatasetException e = assertThrows(DatasetException.class,
                    () -> datasets(hub, cache, null).load("org/gap@" + REVISION, DatasetOptions.DEFAULT));
            assertTrue(e.getMessage().contains("default/train/") && e.getMessage().contains("0001.parquet is missing"), e.getMessage());
            assertFalse(hub.requests.stream().anyMatch(r -> r.contains("/resolve/")), "nothing fetched: " + hub.requests);
        }
    }

    /**
     * Only a train split (most converted datasets): read whole and split by ratio, as a lone file is.
     * Read as train only, it had no validation rows and training refused it.
     */
    @Test
    void aTrainSplitAloneIsSplitByRatio(@TempDir Path cache) throws Exception {
        try (FakeDatasetHub hub = new FakeDatasetHub()) {
            hub.put("org/trainonly", REVISION, "default/train/0000.parquet", shard("train-00000-of-00002"));
            hub.put("org/trainonly", REVISION, "default/train/0001.parquet", shard("train-00001-of-00002"));
            Dataset d = datasets(hub, cache, null).load("org/trainonly@" + REVISION,
                    DatasetOptions.DEFAULT.withRatio(new SplitPlan(0.34, 0, 1)).withStrict(true));
            assertEquals(2, d.train().size());
            assertEquals(1, d.validation().size());
        }
    }
}
