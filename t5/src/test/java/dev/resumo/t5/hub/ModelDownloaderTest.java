package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDownloaderTest {
    private static final String REPO = "unicamp-dl/ptt5-small";
    private static final RepoId ID = RepoId.parse(REPO);

    @TempDir
    Path cache;

    private FakeHub hub;
    private byte[] weights;
    private byte[] spiece;
    private byte[] config;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        Random rng = new Random(11);
        weights = safetensorsLike(rng, 3 * 1024 * 1024 + 17);
        spiece = new byte[5000];
        rng.nextBytes(spiece);
        config = "{\"d_model\": 32}".getBytes(StandardCharsets.UTF_8);
        hub.put(REPO, "main", "config.json", config, false);
        hub.put(REPO, "main", "model.safetensors", weights, true);
        hub.put(REPO, "main", "spiece.model", spiece, true);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private ModelDownloader downloader(String token) {
        return new ModelDownloader(new HubClient(hub.endpoint(), token, null), cache, null);
    }

    private List<FakeHub.Seen> requestsFor(String file) {
        return hub.seen.stream().filter(s -> s.path().endsWith(file.replace("/", "~")) || s.path().endsWith("/" + file)).toList();
    }

    @Test
    void downloadsTheModelFolderAndSkipsMissingOptionalFiles() throws IOException {
        Path dir = downloader(null).fetch(ID, "main");
        assertEquals(cache.resolve("unicamp-dl--ptt5-small").resolve("main"), dir);
        assertArrayEquals(config, Files.readAllBytes(dir.resolve("config.json")));
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("model.safetensors")));
        assertArrayEquals(spiece, Files.readAllBytes(dir.resolve("spiece.model")));
        assertFalse(Files.exists(dir.resolve("generation_config.json")), "404 for an optional file is fine");
        assertFalse(Files.exists(dir.resolve("pytorch_model.bin")), "not fetched when model.safetensors exists");
        try (var listing = Files.list(dir)) {
            assertTrue(listing.noneMatch(p -> p.toString().endsWith(".part")), "no partial files left");
        }
        assertTrue(downloader(null).isComplete(ID, "main"));
        assertTrue(requestsFor("model.safetensors").stream().anyMatch(s -> s.server().equals("cdn")),
                "LFS file came through the redirect");
    }

    @Test
    void fallsBackToPytorchModelBin() throws IOException {
        hub.put("org/old", "main", "config.json", config, false);
        hub.put("org/old", "main", "pytorch_model.bin", weights, true);
        Path dir = downloader(null).fetch(RepoId.parse("org/old"), "main");
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("pytorch_model.bin")));
    }

    @Test
    void resumesAPartialDownloadWithARangeRequest() throws IOException {
        Path dir = cache.resolve("unicamp-dl--ptt5-small").resolve("main");
        Files.createDirectories(dir);
        int half = weights.length / 2;
        Files.write(dir.resolve("model.safetensors.part"), Arrays.copyOf(weights, half));

        downloader(null).fetch(ID, "main");

        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("model.safetensors")), "byte-identical after resume");
        assertTrue(requestsFor("model.safetensors").stream().anyMatch(s -> ("bytes=" + half + "-").equals(s.range())),
                "the server was asked for the second half only: " + requestsFor("model.safetensors"));
        assertFalse(Files.exists(dir.resolve("model.safetensors.part")));
    }

    @Test
    void aConnectionCutMidFileKeepsThePartAndTheNextRunResumes() throws IOException {
        hub.cutAfter.put(REPO + "@main/model.safetensors", 1_000_000);
        HubException e = assertThrows(HubException.class, () -> downloader(null).fetch(ID, "main"));
        assertEquals(HubException.Kind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("run again to resume"), e.getMessage());
        Path part = cache.resolve("unicamp-dl--ptt5-small/main/model.safetensors.part");
        assertTrue(Files.size(part) > 0 && Files.size(part) < weights.length, "partial bytes kept");
        assertFalse(downloader(null).isComplete(ID, "main"));

        Path dir = downloader(null).fetch(ID, "main");
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("model.safetensors")));
    }

    @Test
    void aChecksumMismatchIsReportedAndTheFileIsNotUsed() {
        hub.wrongEtag.add(REPO + "@main/model.safetensors");
        HubException e = assertThrows(HubException.class, () -> downloader(null).fetch(ID, "main"));
        assertEquals(HubException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("sha256 mismatch")
                && e.getMessage().contains(FakeHub.sha256(weights)), e.getMessage());
        Path dir = cache.resolve("unicamp-dl--ptt5-small/main");
        assertFalse(Files.exists(dir.resolve("model.safetensors")), "mismatched file not put in place");
        assertFalse(Files.exists(dir.resolve("model.safetensors.part")), "mismatched bytes deleted");
        assertFalse(downloader(null).isComplete(ID, "main"));
    }

    @Test
    void missingRequiredFilesRepositoriesAndRevisionsAreNamed() {
        hub.put("org/noconfig", "main", "model.safetensors", weights, true);
        HubException noConfig = assertThrows(HubException.class, () -> downloader(null).fetch(RepoId.parse("org/noconfig"), "main"));
        assertEquals(HubException.Kind.NOT_FOUND, noConfig.kind());
        assertTrue(noConfig.getMessage().contains("config.json not found"), noConfig.getMessage());

        hub.put("org/noweights", "main", "config.json", config, false);
        HubException noWeights = assertThrows(HubException.class, () -> downloader(null).fetch(RepoId.parse("org/noweights"), "main"));
        assertTrue(noWeights.getMessage().contains("has no weights"), noWeights.getMessage());

        HubException noRepo = assertThrows(HubException.class, () -> downloader(null).fetch(RepoId.parse("org/nothing"), "main"));
        assertTrue(noRepo.getMessage().contains("repository org/nothing not found"), noRepo.getMessage());

        HubException noRev = assertThrows(HubException.class, () -> downloader(null).fetch(ID, "v9"));
        assertTrue(noRev.getMessage().contains("revision 'v9' not found"), noRev.getMessage());
    }

    @Test
    void fileNamesAreEncodedInTheUrl() throws IOException {
        // A space made URI.create throw (a stack trace for `--dataset` with such a file); a '#' cut the
        // URL short and asked for another file.
        String file = "dados/notícias #1 de teste.json";
        hub.put(REPO, "main", file, config, false);
        Path target = cache.resolve("n.json");
        assertTrue(new HubClient(hub.endpoint(), null, null).download(ID, "main", file, target, false));
        assertArrayEquals(config, Files.readAllBytes(target));
        assertEquals("/unicamp-dl/ptt5-small/resolve/main/dados/not%C3%ADcias%20%231%20de%20teste.json", hub.seen.getLast().path());
    }

    @Test
    void sendsHfTokenToTheHubButNotToTheStorageHost() {
        hub.requiredToken = "hf_secret";
        HubException e = assertThrows(HubException.class, () -> downloader(null).fetch(ID, "main"));
        assertEquals(HubException.Kind.UNAUTHORIZED, e.kind());
        assertTrue(e.getMessage().contains("401") && e.getMessage().contains("HF_TOKEN"), e.getMessage());

        HubClient fromEnv = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_TOKEN", "hf_secret"), null);
        new ModelDownloader(fromEnv, cache, null).fetch(ID, "main");
        assertTrue(hub.seen.stream().filter(s -> s.server().equals("hub")).allMatch(s -> s.authorization() == null
                || "Bearer hf_secret".equals(s.authorization())));
        assertTrue(hub.seen.stream().anyMatch(s -> "Bearer hf_secret".equals(s.authorization())), "token was sent");
        assertTrue(hub.seen.stream().filter(s -> s.server().equals("cdn")).allMatch(s -> s.authorization() == null),
                "token not leaked to the redirect target");
    }

    @Test
    void aCompleteFetchIsReusedWithoutTheNetwork() throws IOException {
        Path dir = downloader(null).fetch(ID, "main");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: offline
        }
        var offline = new HubClient(URI.create("http://127.0.0.1:" + port), null, null);
        assertEquals(dir, new ModelDownloader(offline, cache, null).fetch(ID, "main"));
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("model.safetensors")));
    }

    @Test
    void hfHubOfflineUsesTheCacheAndRefusesEveryRequest() {
        Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HUB_OFFLINE", "1");
        ModelDownloader offline = new ModelDownloader(HubClient.fromEnvironment(env, null), cache, null);
        HubException e = assertThrows(HubException.class, () -> offline.fetch(ID, "main"));
        assertEquals("unicamp-dl/ptt5-small/config.json is not in the cache and HF_HUB_OFFLINE is set, so it was not downloaded;"
                + " unset HF_HUB_OFFLINE (or fetch it where the hub is reachable)", e.getMessage());
        assertTrue(hub.seen.isEmpty(), "no request with HF_HUB_OFFLINE: " + hub.seen);

        Path dir = downloader(null).fetch(ID, "main");
        int requests = hub.seen.size();
        assertEquals(dir, new ModelLocator(offline).resolve(REPO));
        assertEquals(requests, hub.seen.size());
    }

    @Test
    void reportsAnUnreachableEndpoint() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var client = new HubClient(URI.create("http://127.0.0.1:" + port), null, null);
        HubException e = assertThrows(HubException.class, () -> new ModelDownloader(client, cache, null).fetch(ID, "main"));
        assertEquals(HubException.Kind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("cannot reach 127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("(connection refused)"), e.getMessage());
    }

    /** A name that does not resolve is said as such, with the scheme's default port rather than the URI's -1. */
    @Test
    void reportsAHostThatDoesNotResolve() {
        var client = new HubClient(URI.create("https://no-such-host.invalid"), null, null);
        HubException e = assertThrows(HubException.class, () -> new ModelDownloader(client, cache, null).fetch(ID, "main"));
        assertEquals(HubException.Kind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("cannot reach no-such-host.invalid:443 for "), e.getMessage());
        assertTrue(e.getMessage().contains("(the host name does not resolve)"), e.getMessage());
        assertEquals("no-such-host.invalid:80", HubClient.hostAndPort(URI.create("http://no-such-host.invalid/x")));
    }

    /** huggingface_hub reads no hub variable for a local folder: a stale one must not stop local runs. */
    @Test
    void aLocalFolderIgnoresBrokenHubVariables() throws IOException {
        Map<String, String> env = Map.of("HF_ENDPOINT", "not a url", "https_proxy", "http://proxy:notaport");
        ModelLocator locator = ModelLocator.fromEnvironment(env, null);
        Path local = Files.createDirectories(cache.resolve("my-model"));
        assertEquals(local, locator.resolve(local.toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> locator.resolve(REPO));
        assertTrue(e.getMessage().contains("HF_ENDPOINT 'not a url'"), "a hub id still checks them: " + e.getMessage());
    }

    @Test
    void locatorUsesLocalFoldersAndFetchesHubIdsOnce() throws IOException {
        ModelLocator locator = new ModelLocator(downloader(null));
        Path local = Files.createDirectories(cache.resolve("my-model"));
        assertEquals(local, locator.resolve(local.toString()));
        assertTrue(hub.seen.isEmpty(), "a local folder needs no network");

        Path fetched = locator.resolve(REPO);
        assertTrue(Files.isRegularFile(fetched.resolve("model.safetensors")));
        int requests = hub.seen.size();
        assertEquals(fetched, locator.resolve(REPO));
        assertEquals(requests, hub.seen.size(), "second use reads the cache without network");

        hub.put(REPO, "v2", "config.json", config, false);
        hub.put(REPO, "v2", "pytorch_model.bin", weights, true);
        assertEquals(cache.resolve("unicamp-dl--ptt5-small").resolve("v2"), locator.resolve(REPO + "@v2"));

        var bad = assertThrows(IllegalArgumentException.class, () -> locator.resolve("no-such-folder"));
        assertTrue(bad.getMessage().contains("no such folder, and not a hub id"), bad.getMessage());
        assertNull(hub.seen.stream().filter(s -> s.path().contains("no-such-folder")).findAny().orElse(null));
    }

    private static final String SHARDED = "org/sharded-t5";

    /** Random bytes behind a valid safetensors header (the downloader checks the header before caching). */
    static byte[] safetensorsLike(Random rng, int size) {
        byte[] header = "{\"__metadata__\":{\"fixture\":\"random\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size];
        rng.nextBytes(out);
        java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        System.arraycopy(header, 0, out, 8, header.length);
        return out;
    }

    private void putShardedRepo(String index, Map<String, byte[]> shards) {
        hub.put(SHARDED, "main", "config.json", config, false);
        hub.put(SHARDED, "main", ModelDownloader.SHARD_INDEX, index.getBytes(StandardCharsets.UTF_8), false);
        shards.forEach((name, bytes) -> hub.put(SHARDED, "main", name, bytes, true));
    }

    @Test
    void fetchesAShardedCheckpointWithEveryShardItsIndexNames() throws IOException {
        byte[] a = safetensorsLike(new Random(3), 200_001), b = safetensorsLike(new Random(4), 123_457);
        String index = "{\"metadata\": {\"total_size\": 1}, \"weight_map\": {"
                + "\"shared.weight\": \"model-00001-of-00002.safetensors\", "
                + "\"encoder.final_layer_norm.weight\": \"model-00002-of-00002.safetensors\", "
                + "\"decoder.final_layer_norm.weight\": \"model-00002-of-00002.safetensors\"}}";
        putShardedRepo(index, Map.of("model-00001-of-00002.safetensors", a, "model-00002-of-00002.safetensors", b));
        Path dir = downloader(null).fetch(RepoId.parse(SHARDED), "main");
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("model-00001-of-00002.safetensors")));
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("model-00002-of-00002.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve(ModelDownloader.SHARD_INDEX)));
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
        assertEquals(1, requestsFor("model-00002-of-00002.safetensors").stream()
                .filter(r -> r.server().equals("cdn")).count(), "a shard named twice is fetched once");

        // A shard lost from the cache (an interrupted fetch) is fetched again; the others are kept.
        Files.delete(dir.resolve("model-00001-of-00002.safetensors"));
        Files.delete(dir.resolve(".resumo-fetch-complete"));
        downloader(null).fetch(RepoId.parse(SHARDED), "main");
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("model-00001-of-00002.safetensors")));
    }

    @Test
    void aShardIndexNamingAPathOrAMissingShardIsRefused() {
        putShardedRepo("{\"weight_map\": {\"shared.weight\": \"../../outside.safetensors\"}}", Map.of());
        HubException e = assertThrows(HubException.class, () -> downloader(null).fetch(RepoId.parse(SHARDED), "main"));
        assertTrue(e.getMessage().contains("'../../outside.safetensors' is not a plain .safetensors file name"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("org--sharded-t5").resolve("outside.safetensors")));

        hub.put(SHARDED, "v2", "config.json", config, false);
        hub.put(SHARDED, "v2", ModelDownloader.SHARD_INDEX,
                "{\"weight_map\": {\"shared.weight\": \"model-00001-of-00001.safetensors\"}}".getBytes(StandardCharsets.UTF_8), false);
        HubException missing = assertThrows(HubException.class, () -> downloader(null).fetch(RepoId.parse(SHARDED), "v2"));
        assertEquals(HubException.Kind.NOT_FOUND, missing.kind());
        assertTrue(missing.getMessage().contains("model-00001-of-00001.safetensors"), missing.getMessage());
    }
}
