package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials in the proxy URL, as Python's requests sends them: Basic proxy authentication with the
 * percent-decoded user and password, to that proxy only — through a forward proxy on 127.0.0.1 that
 * answers 407 without them, for plain http requests and for the CONNECT of an https tunnel.
 */
class ProxyCredentialsTest {
    @TempDir
    Path cache;

    /** What requests' _basic_auth_str sends for this user and password. */
    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Optional<String> authorization(String proxyUrl, String requestUrl) {
        return EnvironmentProxies.from(Map.of("https_proxy", proxyUrl, "NO_PROXY", "internal.corp"))
                .authorizationFor(URI.create(requestUrl));
    }

    @Test
    void userAndPasswordArePercentDecodedAsRequestsDecodesThem() {
        String hub = "https://huggingface.co/x";
        assertEquals(Optional.of(basic("user", "p@ss:w+rd")), authorization("http://us%65r:p%40ss%3Aw+rd@proxy:3128", hub));
        assertEquals(Optional.of(basic("user", "p@ss")), authorization("http://user:p@ss@proxy:3128", hub),
                "a raw '@' in the password: the host is after the last one, as urllib splits it");
        assertEquals(Optional.of(basic("jos\u00e9", "")), authorization("jos%C3%A9:@proxy:3128", hub), "UTF-8 escapes; no scheme");
        assertEquals(Optional.of(basic("user", "100%zz")), authorization("http://user:100%zz@proxy:3128", hub),
                "a malformed escape stays as it is");
        assertEquals(Optional.empty(), authorization("http://user@proxy:3128", hub), "no ':password': requests sends nothing");
        assertEquals(Optional.empty(), authorization("http://user:pw@proxy:3128", "https://hub.internal.corp/x"),
                "a host in NO_PROXY goes direct, without the proxy's credentials");
        assertEquals(Optional.empty(), authorization("http://user:pw@proxy:3128", "http://mirror.example/x"),
                "http goes direct here (no http_proxy): the https proxy's credentials stay with it");
        assertFalse(EnvironmentProxies.from(Map.of("https_proxy", "http://user:secret@proxy:3128")).toString().contains("secret"));
    }

    @Test
    void aDownloadThroughAProxyThatAsksForCredentialsSendsThemToTheProxyOnly() throws IOException {
        byte[] weights = new byte[4096];
        for (int i = 0; i < weights.length; i++) weights[i] = (byte) (i * 31);
        try (FakeHub hub = new FakeHub(); ForwardProxy proxy = new ForwardProxy()) {
            hub.put("org/tiny", "main", "model.safetensors.bin", weights, true);
            proxy.requireBasic("corp\\user", "p@ss word");
            HubClient client = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_TOKEN", "hf_tok",
                    "http_proxy", "http://corp%5Cuser:p%40ss%20word@" + proxy.url().substring("http://".length())), null);
            Path target = cache.resolve("weights.bin");
            assertTrue(client.download(RepoId.parse("org/tiny"), "main", "model.safetensors.bin", target, false));
            assertArrayEquals(weights, Files.readAllBytes(target));
            assertTrue(proxy.asked.size() >= 2, "the hub request and the storage redirect went through the proxy: " + proxy.asked);
            assertEquals(List.of(basic("corp\\user", "p@ss word")), proxy.authorizations.stream().distinct().toList(),
                    "every request carried the credentials");
            assertEquals(List.of(), hub.proxyAuthorizations, "the proxy credentials never reached the hub or the storage host");
            assertTrue(hub.seen.stream().anyMatch(s -> "Bearer hf_tok".equals(s.authorization())), "HF_TOKEN still goes to the hub");
        }
    }

    @Test
    void aProxyThatRefusesTheCredentialsIsNamedInOneLineWithoutThePassword() throws IOException {
        try (FakeHub hub = new FakeHub(); ForwardProxy proxy = new ForwardProxy()) {
            hub.put("org/tiny", "main", "config.json", "{}".getBytes(StandardCharsets.UTF_8), false);
            proxy.requireBasic("user", "right");
            String at = proxy.url().substring("http://".length());
            HubClient wrong = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint().toString(),
                    "HTTP_PROXY", "http://user:wrongpass@" + at), null);
            HubException e = assertThrows(HubException.class,
                    () -> wrong.download(RepoId.parse("org/tiny"), "main", "config.json", cache.resolve("c.json"), false));
            assertEquals("the proxy " + at + " (HTTP_PROXY) answered 407 Proxy Authentication Required for org/tiny/config.json:"
                    + " it did not accept the user name and password in HTTP_PROXY; check them (percent-encode '@' ':' '/' '%'"
                    + " in them as %40 %3A %2F %25)", e.getMessage());
            assertEquals(HubException.Kind.NETWORK, e.kind());

            HubClient none = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint().toString(),
                    "http_proxy", proxy.url()), null);
            e = assertThrows(HubException.class,
                    () -> none.listFiles(RepoKind.MODEL, RepoId.parse("org/tiny"), "main"));
            assertTrue(e.getMessage().startsWith("the proxy " + at + " (http_proxy) answered 407")
                    && e.getMessage().endsWith("asks for a user name and password; give them in http_proxy as http://USER:PASSWORD@" + at),
                    e.getMessage());
            assertFalse(new java.io.File(cache.resolve("c.json").toString()).exists());
        }
    }

    /**
     * https goes through a CONNECT tunnel, where the JDK drops Basic credentials unless
     * jdk.http.auth.tunneling.disabledSchemes was cleared before its first use (ProxyTunnelAuthentication).
     * The tunnel leads to a socket that closes at once, so the TLS handshake after it fails: what is
     * checked is the CONNECT itself and the 407 message (HttpsProxyDownloadTest goes all the way through TLS).
     */
    @Test
    void theConnectOfAnHttpsTunnelCarriesTheCredentials() throws IOException {
        try (ServerSocket closesAtOnce = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             ForwardProxy proxy = new ForwardProxy()) {
            Thread.ofVirtual().start(() -> {
                while (!closesAtOnce.isClosed()) {
                    try (Socket s = closesAtOnce.accept()) {
                        s.getInputStream().read();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            String hubHost = "127.0.0.1:" + closesAtOnce.getLocalPort();
            String at = proxy.url().substring("http://".length());
            proxy.requireBasic("user", "p@ss");
            HubClient client = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", "https://" + hubHost,
                    "HTTPS_PROXY", "http://user:p%40ss@" + at), null);
            HubException e = assertThrows(HubException.class,
                    () -> client.download(RepoId.parse("org/tiny"), "main", "config.json", cache.resolve("c.json"), false));
            assertEquals(List.of(hubHost), proxy.connects.stream().distinct().toList(), "the tunnel went through the proxy");
            assertEquals(List.of(basic("user", "p@ss")), proxy.authorizations.stream().distinct().toList(),
                    "the CONNECT carried the credentials");
            assertFalse(e.getMessage().contains("answered 407"), "the proxy let the tunnel through (\"407\" alone also matched a port such as 40747): " + e.getMessage());

            HubClient wrong = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", "https://" + hubHost,
                    "https_proxy", "http://user:nope@" + at), null);
            e = assertThrows(HubException.class,
                    () -> wrong.download(RepoId.parse("org/tiny"), "main", "config.json", cache.resolve("c.json"), false));
            assertTrue(e.getMessage().startsWith("the proxy " + at + " (https_proxy) answered 407 Proxy Authentication Required")
                    && !e.getMessage().contains("nope"), e.getMessage());
        }
    }
}
