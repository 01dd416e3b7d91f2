package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The company-proxy case end to end: an https hub (and https storage host) with a certificate no
 * JDK trusts, reached only through a forward proxy that wants Basic credentials, with the hub's
 * CA given the way huggingface_hub users give it (REQUESTS_CA_BUNDLE). A whole model folder must
 * arrive byte for byte, through a resumed download, with the proxy seeing nothing but CONNECTs.
 */
class HttpsProxyDownloadTest {
    private static final String REPO = "org/tiny-t5";
    private static final RepoId ID = RepoId.parse(REPO);
    private static final String TOKEN = "hf_inside_the_tunnel";
    private static final String USER = "corp\\user";
    private static final String PASSWORD = "p@ss word";

    @TempDir
    static Path certificates;
    private static TestCertificate hubCertificate;

    @TempDir
    Path cache;

    @BeforeAll
    static void certificate() throws IOException {
        hubCertificate = TestCertificate.generate(certificates, "hub", "ip:127.0.0.1");
    }

    /** The environment a user behind the proxy has: endpoint, token, proxy URL with credentials (percent-encoded), CA bundle. */
    private static Map<String, String> environment(FakeHub hub, ForwardProxy proxy, String encodedPassword) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HF_ENDPOINT", hub.endpoint().toString());
        env.put("HF_TOKEN", TOKEN);
        env.put("https_proxy", "http://corp%5Cuser:" + encodedPassword + "@" + proxy.url().substring("http://".length()));
        env.put("REQUESTS_CA_BUNDLE", hubCertificate.pem.toString());
        return env;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aModelFolderArrivesByteForByteThroughTheProxysTlsTunnel() throws IOException {
        Random rng = new Random(7);
        byte[] config = "{\"model_type\": \"t5\", \"d_model\": 32}".getBytes(StandardCharsets.UTF_8);
        byte[] weights = ModelDownloaderTest.safetensorsLike(rng, 2 * 1024 * 1024 + 13);
        byte[] spiece = new byte[40_000];
        rng.nextBytes(spiece);
        byte[] tokenizer = "{\"version\": \"1.0\", \"model\": {\"type\": \"Unigram\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] tokenizerConfig = "{\"eos_token\": \"</s>\"}".getBytes(StandardCharsets.UTF_8);
        try (FakeHub hub = new FakeHub(hubCertificate.serverContext()); ForwardProxy proxy = new ForwardProxy()) {
            hub.put(REPO, "main", "config.json", config, false);
            hub.put(REPO, "main", "model.safetensors", weights, true);
            hub.put(REPO, "main", "spiece.model", spiece, true);
            hub.put(REPO, "main", "tokenizer.json", tokenizer, false);
            hub.put(REPO, "main", "tokenizer_config.json", tokenizerConfig, false);
            hub.requiredToken = TOKEN; // a request without HF_TOKEN gets 401: the token must reach the hub inside the tunnel
            hub.cutAfter.put(REPO + "@main/model.safetensors", 700_000);
            proxy.requireBasic(USER, PASSWORD);
            ModelDownloader downloader = new ModelDownloader(
                    HubClient.fromEnvironment(environment(hub, proxy, "p%40ss%20word"), null), cache, null);

            HubException cut = assertThrows(HubException.class, () -> downloader.fetch(ID, "main"));
            assertEquals(HubException.Kind.NETWORK, cut.kind(), cut.getMessage());
            Path dir = downloader.fetch(ID, "main");

            assertArrayEquals(config, Files.readAllBytes(dir.resolve("config.json")));
            assertArrayEquals(weights, Files.readAllBytes(dir.resolve("model.safetensors")));
            assertArrayEquals(spiece, Files.readAllBytes(dir.resolve("spiece.model")));
            assertArrayEquals(tokenizer, Files.readAllBytes(dir.resolve("tokenizer.json")));
            assertArrayEquals(tokenizerConfig, Files.readAllBytes(dir.resolve("tokenizer_config.json")));
            assertTrue(hub.seen.stream().anyMatch(s -> s.server().equals("cdn") && s.path().endsWith("model.safetensors")
                    && s.range() != null && !s.range().equals("bytes=0-")), "the cut-off weights were resumed with a Range: " + hub.seen);

            assertEquals(List.of(), proxy.asked, "no request went through the proxy in the clear: only tunnels");
            assertEquals(Set.of(hub.endpoint().getAuthority(), hub.cdnHostAndPort()), Set.copyOf(proxy.connects),
                    "the hub and the storage host were both reached through CONNECT tunnels");
            assertEquals(List.of(basic(USER, PASSWORD)), proxy.authorizations.stream().distinct().toList(),
                    "every CONNECT carried the decoded proxy credentials");
            assertEquals(List.of(), hub.proxyAuthorizations, "the proxy credentials never reached the hub or the storage host");
            assertTrue(hub.seen.stream().filter(s -> s.server().equals("hub")).allMatch(s -> ("Bearer " + TOKEN).equals(s.authorization())),
                    "HF_TOKEN went to the hub on every request");
            assertTrue(hub.seen.stream().filter(s -> s.server().equals("cdn")).allMatch(s -> s.authorization() == null),
                    "and never to the storage host");
        }
    }

    @Test
    void aWrongProxyPasswordIsAOneLine407ThatNamesTheVariableNotThePassword() throws IOException {
        try (FakeHub hub = new FakeHub(hubCertificate.serverContext()); ForwardProxy proxy = new ForwardProxy()) {
            hub.put(REPO, "main", "config.json", "{}".getBytes(StandardCharsets.UTF_8), false);
            proxy.requireBasic(USER, PASSWORD);
            ModelDownloader downloader = new ModelDownloader(
                    HubClient.fromEnvironment(environment(hub, proxy, "not-the-password"), null), cache, null);
            HubException e = assertThrows(HubException.class, () -> downloader.fetch(ID, "main"));
            String at = proxy.url().substring("http://".length());
            assertTrue(e.getMessage().startsWith("the proxy " + at + " (https_proxy) answered 407 Proxy Authentication Required for "
                    + REPO + "/config.json") && e.getMessage().contains("did not accept the user name and password"), e.getMessage());
            assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("not-the-password"), e.getMessage());
            assertEquals(List.of(), hub.seen, "nothing reached the hub");
        }
    }
}
