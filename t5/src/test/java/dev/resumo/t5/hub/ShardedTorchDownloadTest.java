package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub repository whose only weights are torch shards (pytorch_model.bin.index.json +
 * pytorch_model-0000N-of-0000M.bin, as flan-t5-xl and older fine-tunes ship): the downloader fetches
 * the index and every shard it names, resumes an interrupted fetch, and the folder loads. The
 * repository is the t5-variants/sharded-bin fixture (made by transformers) served by a local fake hub.
 */
class ShardedTorchDownloadTest {
    private static final String REPO = "org/old-sharded-t5";
    private static final RepoId ID = RepoId.parse(REPO);
    private static final List<String> SHARDS = List.of("pytorch_model-00001-of-00003.bin",
            "pytorch_model-00002-of-00003.bin", "pytorch_model-00003-of-00003.bin");

    @TempDir
    Path cache;

    private FakeHub hub;
    private Path fixture;

    @BeforeEach
    void start() throws IOException, URISyntaxException {
        fixture = Path.of(getClass().getResource("/t5-variants/sharded-bin").toURI());
        hub = new FakeHub();
        hub.put(REPO, "main", "config.json", Files.readAllBytes(fixture.resolve("config.json")), false);
        hub.put(REPO, "main", ModelDownloader.TORCH_SHARD_INDEX,
                Files.readAllBytes(fixture.resolve(ModelDownloader.TORCH_SHARD_INDEX)), false);
        for (String shard : SHARDS) hub.put(REPO, "main", shard, Files.readAllBytes(fixture.resolve(shard)), true);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private ModelDownloader downloader() {
        return new ModelDownloader(new HubClient(hub.endpoint(), null, null), cache, null);
    }

    private List<FakeHub.Seen> cdnRequestsFor(String file) {
        return hub.seen.stream().filter(s -> s.server().equals("cdn") && s.path().endsWith(file)).toList();
    }

    /** The fetched folder loads as the fixture does: the same tensors, bit for bit. */
    private void assertLoadsAsTheFixture(Path dir) {
        T5Model fetched = T5Checkpoint.load(dir), original = T5Checkpoint.load(fixture);
        assertEquals(original.config(), fetched.config());
        assertEquals(original.parameters().keySet(), fetched.parameters().keySet());
        original.parameters().forEach((name, t) -> assertArrayEquals(t.toArray(), fetched.parameters().get(name).toArray(), name));
    }

    @Test
    void fetchesTheIndexAndEveryShardAndTheFolderLoads() throws IOException {
        Path dir = downloader().fetch(ID, "main");
        for (String f : List.of("config.json", ModelDownloader.TORCH_SHARD_INDEX, SHARDS.get(0), SHARDS.get(1), SHARDS.get(2))) {
            assertArrayEquals(Files.readAllBytes(fixture.resolve(f)), Files.readAllBytes(dir.resolve(f)), f);
        }
        for (String absent : List.of("model.safetensors", "pytorch_model.bin", ModelDownloader.SHARD_INDEX)) {
            assertFalse(Files.exists(dir.resolve(absent)), absent + ": the repository has none");
        }
        // each shard is named by many entries of the index and fetched once
        for (String shard : SHARDS) assertEquals(1, cdnRequestsFor(shard).size(), shard);
        assertTrue(downloader().isComplete(ID, "main"));
        assertLoadsAsTheFixture(dir);
    }

    @Test
    void anInterruptedFetchResumesWhereItStopped() throws IOException {
        String second = SHARDS.get(1);
        hub.cutAfter.put(REPO + "@main/" + second, 8_000);
        HubException e = assertThrows(HubException.class, () -> downloader().fetch(ID, "main"));
        assertEquals(HubException.Kind.NETWORK, e.kind(), e.getMessage());
        Path dir = downloader().localDir(ID, "main");
        Path part = dir.resolve(second + ".part");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < Files.size(fixture.resolve(second)), "partial bytes kept: " + kept);
        assertTrue(Files.isRegularFile(dir.resolve(SHARDS.get(0))), "the shard before it is whole");
        assertFalse(Files.exists(dir.resolve(SHARDS.get(2))), "the shard after it was not reached");
        assertFalse(downloader().isComplete(ID, "main"));

        downloader().fetch(ID, "main");
        assertEquals(1, cdnRequestsFor(SHARDS.get(0)).size(), "the whole shard is kept, not fetched again");
        List<FakeHub.Seen> resumed = cdnRequestsFor(second);
        assertEquals("bytes=" + kept + "-", resumed.getLast().range(), "asked for the rest only: " + resumed);
        assertFalse(Files.exists(part));
        for (String shard : SHARDS) {
            assertArrayEquals(Files.readAllBytes(fixture.resolve(shard)), Files.readAllBytes(dir.resolve(shard)), shard);
        }
        assertTrue(downloader().isComplete(ID, "main"));
        assertLoadsAsTheFixture(dir);
    }

    @Test
    void aTorchIndexNamingAPathOrAnotherKindOfFileIsRefused(@TempDir Path local) throws IOException {
        Path index = local.resolve(ModelDownloader.TORCH_SHARD_INDEX);
        for (String bad : new String[] {"../../outside.bin", "/tmp/outside.bin", "model-00001-of-00001.safetensors", ".bin"}) {
            Files.writeString(index, "{\"weight_map\": {\"shared.weight\": \"" + bad + "\"}}");
            String msg = assertThrows(HubException.class, () -> ModelDownloader.shardFiles(index)).getMessage();
            assertEquals(index + ": shard name '" + bad + "' is not a plain .bin file name; refusing to fetch it", msg);
        }
        Files.writeString(index, "{\"weight_map\": {\"a\": \"" + SHARDS.get(0) + "\", \"b\": \"" + SHARDS.get(1) + "\"}}");
        assertEquals(Set.of(SHARDS.get(0), SHARDS.get(1)), Set.copyOf(ModelDownloader.shardFiles(index)));

        // from the hub: refused before anything is fetched to that name
        hub.put(REPO, "v2", "config.json", "{}".getBytes(StandardCharsets.UTF_8), false);
        hub.put(REPO, "v2", ModelDownloader.TORCH_SHARD_INDEX,
                "{\"weight_map\": {\"shared.weight\": \"../../outside.bin\"}}".getBytes(StandardCharsets.UTF_8), false);
        HubException e = assertThrows(HubException.class, () -> downloader().fetch(ID, "v2"));
        assertTrue(e.getMessage().contains("'../../outside.bin' is not a plain .bin file name"), e.getMessage());
        assertTrue(hub.seen.stream().noneMatch(s -> s.path().contains("outside")), "never asked for");
    }
}
