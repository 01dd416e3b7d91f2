package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate the client cannot accept, direct and through a proxy: one line that says what is
 * wrong and what to set, no JDK riddle ("PKIX path building failed: ..."), and nothing stored.
 */
class TlsFailureTest {
    private static final RepoId ID = RepoId.parse("org/tiny");

    @TempDir
    static Path certificates;
    /** Issued for 127.0.0.1, where the test hubs listen. */
    private static TestCertificate forLoopback;
    /** Issued for another host name: trusted or not, it does not fit 127.0.0.1. */
    private static TestCertificate forElsewhere;

    @TempDir
    Path cache;

    @BeforeAll
    static void certificates() throws IOException {
        forLoopback = TestCertificate.generate(certificates, "loopback", "ip:127.0.0.1");
        forElsewhere = TestCertificate.generate(certificates, "elsewhere", "dns:elsewhere.invalid");
    }

    private HubException failure(Map<String, String> env) {
        HubClient client = HubClient.fromEnvironment(env, null);
        Path target = cache.resolve("config.json");
        HubException e = assertThrows(HubException.class, () -> client.download(ID, "main", "config.json", target, false));
        assertEquals(HubException.Kind.NETWORK, e.kind());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("PKIX"), e.getMessage());
        assertFalse(Files.exists(target) || Files.exists(cache.resolve("config.json.part")), "nothing was stored");
        return e;
    }

    private static FakeHub hubWith(TestCertificate certificate) throws IOException {
        FakeHub hub = new FakeHub(certificate.serverContext());
        hub.put("org/tiny", "main", "config.json", "{}".getBytes(StandardCharsets.UTF_8), false);
        return hub;
    }

    @Test
    void anUntrustedCertificateNamesTheCaVariables() throws IOException {
        try (FakeHub hub = hubWith(forLoopback)) {
            String host = hub.endpoint().getAuthority();
            HubException e = failure(Map.of("HF_ENDPOINT", hub.endpoint().toString()));
            assertTrue(e.getMessage().startsWith("the TLS certificate of " + host + " is not signed by a trusted CA (the JDK's default CAs)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("set REQUESTS_CA_BUNDLE (or CURL_CA_BUNDLE, SSL_CERT_FILE, SSL_CERT_DIR) to a PEM file with that CA,"
                    + " or give java -Djavax.net.ssl.trustStore="), e.getMessage());
            assertEquals(0, hub.seen.size(), "no request was sent over the unverified connection");
        }
    }

    @Test
    void throughAProxyTheMessageSaysItMayReSignHttpsAndWhichBundleWasUsed() throws IOException {
        try (FakeHub hub = hubWith(forLoopback); ForwardProxy proxy = new ForwardProxy()) {
            Map<String, String> env = new HashMap<>(Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HTTPS_PROXY", proxy.url(),
                    "SSL_CERT_FILE", forElsewhere.pem.toString()));
            HubException e = failure(env);
            assertTrue(e.getMessage().contains("is not signed by a trusted CA (the CAs of SSL_CERT_FILE=" + forElsewhere.pem
                    + " (1 certificate)), fetching org/tiny/config.json through the proxy " + proxy.url().substring("http://".length())
                    + ", which may re-sign https with a company CA; add the CA that signed it to that PEM file"), e.getMessage());
        }
    }

    @Test
    void aCertificateForAnotherHostNameSaysSo() throws IOException {
        try (FakeHub hub = hubWith(forElsewhere)) {
            HubException e = failure(Map.of("HF_ENDPOINT", hub.endpoint().toString(), "REQUESTS_CA_BUNDLE", forElsewhere.pem.toString()));
            assertTrue(e.getMessage().startsWith("the TLS certificate of " + hub.endpoint().getAuthority() + " is not for that host name ("),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("; check the host in HF_ENDPOINT"), e.getMessage());
        }
    }

    /** A machine whose clock is wrong sees the same: the message gives the clock's reading. */
    @Test
    void anExpiredCertificateSaysSoAndWhatTheClockReads() throws IOException {
        TestCertificate expired = TestCertificate.signed(certificates, "expired", "ip:127.0.0.1", "-10d", 2);
        try (FakeHub hub = hubWith(expired)) {
            String host = hub.endpoint().getAuthority();
            HubException e = failure(Map.of("HF_ENDPOINT", hub.endpoint().toString(), "REQUESTS_CA_BUNDLE", expired.pem.toString()));
            assertTrue(e.getMessage().startsWith("the TLS certificate of " + host + " (or one in its chain) is outside its dates ("),
                    e.getMessage());
            assertTrue(e.getMessage().contains("fetching org/tiny/config.json; this machine's clock reads 20"), e.getMessage());
            assertTrue(e.getMessage().endsWith("if that is right, the certificate must be renewed where it is served"), e.getMessage());
            assertEquals(0, hub.seen.size(), "no request was sent over the unverified connection");
        }
    }

    /** The same CA-signed setup within its dates is trusted: the test above fails for the dates alone. */
    @Test
    void aCaSignedCertificateWithinItsDatesIsTrusted() throws IOException {
        TestCertificate current = TestCertificate.signed(certificates, "current", "ip:127.0.0.1", "-1d", 3);
        try (FakeHub hub = hubWith(current)) {
            HubClient client = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint().toString(),
                    "REQUESTS_CA_BUNDLE", current.pem.toString()), null);
            Path target = cache.resolve("config.json");
            client.download(ID, "main", "config.json", target, false);
            assertEquals("{}", Files.readString(target));
        }
    }

    /**
     * A plain-http server (as nginx does) answers the TLS hello with an http 400 at once. (The JDK's
     * HttpServer instead waits for a request line that never comes, which the client reports as a
     * connect timeout after 30 s: not this case.)
     */
    @Test
    void httpsToAPlainHttpServerIsNamedAsATlsFailure() throws IOException {
        try (ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!plain.isClosed()) {
                    try (Socket s = plain.accept()) {
                        s.getInputStream().read(new byte[512]);
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            String host = "127.0.0.1:" + plain.getLocalPort();
            HubException e = failure(Map.of("HF_ENDPOINT", "https://" + host));
            assertTrue(e.getMessage().startsWith("TLS with " + host + " failed, fetching org/tiny/config.json (")
                    && e.getMessage().endsWith("); check that HF_ENDPOINT is https only where the server speaks TLS"), e.getMessage());
        }
    }
}
