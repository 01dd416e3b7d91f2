package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA bundle variables as requests reads them, and one-line errors for a bundle that cannot be used. */
class CaBundleTest {
    @TempDir
    static Path certificates;
    private static TestCertificate a;
    private static TestCertificate b;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() throws IOException {
        a = TestCertificate.generate(certificates, "a", "dns:a.invalid");
        b = TestCertificate.generate(certificates, "b", "dns:b.invalid");
    }

    private static X509Certificate certificate(TestCertificate c) throws Exception {
        try (InputStream in = Files.newInputStream(c.pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static Set<X509Certificate> anchors(CaBundle bundle) {
        return Set.copyOf(Arrays.asList(((X509TrustManager) bundle.trustManagers()[0]).getAcceptedIssuers()));
    }

    /**
     * The message a download gives when {@code env}'s bundle cannot be used. The client itself is made
     * without reading it: a command given a local model folder never sends a request, and a stale
     * bundle variable must not stop it.
     */
    private String error(Map<String, String> env) {
        Map<String, String> withHub = new HashMap<>(env);
        withHub.put("HF_ENDPOINT", "https://127.0.0.1:9"); // never reached: the bundle fails first
        HubClient client = HubClient.fromEnvironment(withHub, null);
        Path target = dir.resolve("config.json");
        HubException e = assertThrows(HubException.class, () -> client.download(RepoId.parse("org/x"), "main", "config.json", target, false));
        assertFalse(e.getMessage().contains("\n") || Files.exists(target), e.getMessage());
        assertTrue(e.getMessage().endsWith("; nothing was downloaded"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void noVariableOrABlankOneKeepsTheJdkDefault() {
        assertNull(CaBundle.fromEnvironment(Map.of()));
        assertNull(CaBundle.fromEnvironment(Map.of("CURL_CA_BUNDLE", "", "REQUESTS_CA_BUNDLE", " ")),
                "blank is unset: CURL_CA_BUNDLE=\"\" does not turn verification off here, as it once did in requests");
    }

    @Test
    void aBundleWithCommentsBetweenCertificatesReplacesTheDefaultAnchors() throws Exception {
        Path bundle = dir.resolve("company-ca.pem");
        Files.writeString(bundle, "# Issuer: CN=resumo test a\n" + Files.readString(a.pem) + "\n# Issuer: CN=resumo test b\n"
                + Files.readString(b.pem));
        CaBundle read = CaBundle.fromEnvironment(Map.of("REQUESTS_CA_BUNDLE", bundle.toString()));
        assertEquals(Set.of(certificate(a), certificate(b)), anchors(read),
                "exactly the bundle's certificates are trusted, none of the JDK's (as requests' verify=<bundle>)");
        assertEquals("REQUESTS_CA_BUNDLE=" + bundle + " (2 certificates)", read.toString());
    }

    @Test
    void theFirstVariableSetWinsInRequestsOrder() throws Exception {
        assertEquals(Set.of(certificate(a)), anchors(CaBundle.fromEnvironment(Map.of(
                "REQUESTS_CA_BUNDLE", a.pem.toString(), "CURL_CA_BUNDLE", b.pem.toString(), "SSL_CERT_FILE", b.pem.toString()))));
        assertEquals(Set.of(certificate(a)), anchors(CaBundle.fromEnvironment(Map.of(
                "CURL_CA_BUNDLE", a.pem.toString(), "SSL_CERT_FILE", b.pem.toString()))));
        assertEquals(Set.of(certificate(b)), anchors(CaBundle.fromEnvironment(Map.of("SSL_CERT_FILE", b.pem.toString()))));
    }

    @Test
    void sslCertDirComesLastAndTakesSeveralFoldersAsOpenSslDoes() throws Exception {
        Path first = Files.createDirectory(dir.resolve("first"));
        Path second = Files.createDirectory(dir.resolve("second"));
        Files.copy(a.pem, first.resolve("3f2a9c1d.0"));
        Files.copy(b.pem, second.resolve("b.pem"));
        String both = first + java.io.File.pathSeparator + second;
        CaBundle read = CaBundle.fromEnvironment(Map.of("SSL_CERT_DIR", both));
        assertEquals(Set.of(certificate(a), certificate(b)), anchors(read), "the CAs of every listed folder are trusted");
        assertEquals("SSL_CERT_DIR=" + both + " (2 certificates)", read.toString());
        assertEquals(Set.of(certificate(b)), anchors(CaBundle.fromEnvironment(Map.of("SSL_CERT_FILE", b.pem.toString(), "SSL_CERT_DIR",
                first.toString()))), "httpx reads SSL_CERT_DIR only without SSL_CERT_FILE");
    }

    @Test
    void anSslCertDirThatIsNotAFolderIsOneLineNamingIt() {
        Path missing = dir.resolve("missing");
        assertTrue(error(Map.of("SSL_CERT_DIR", missing.toString())).startsWith("SSL_CERT_DIR=" + missing + ": no such folder " + missing));
        String message = error(Map.of("SSL_CERT_DIR", a.pem.toString()));
        assertTrue(message.startsWith("SSL_CERT_DIR=" + a.pem + ": " + a.pem + " is a file, not a folder; a single PEM file goes in SSL_CERT_FILE"),
                message);
    }

    @Test
    void aFolderIsReadFileByFileAsRequestsTakesOne() throws Exception {
        Files.copy(a.pem, dir.resolve("a.crt"));
        Files.copy(b.pem, dir.resolve("b.pem"));
        Files.copy(a.pem, dir.resolve("3f2a9c1d.0")); // OpenSSL's hash name for the same CA, as in /etc/ssl/certs
        Files.writeString(dir.resolve("README"), "company CAs");
        CaBundle read = CaBundle.fromEnvironment(Map.of("REQUESTS_CA_BUNDLE", dir.toString()));
        assertEquals(Set.of(certificate(a), certificate(b)), anchors(read));
        assertEquals("REQUESTS_CA_BUNDLE=" + dir + " (2 certificates)", read.toString(), "a CA found twice counts once");
    }

    @Test
    void aBundleThatCannotBeUsedIsOneLineNamingTheVariableAndTheFile() throws IOException {
        Path missing = dir.resolve("missing.pem");
        assertTrue(error(Map.of("REQUESTS_CA_BUNDLE", missing.toString())).startsWith("REQUESTS_CA_BUNDLE=" + missing + ": no such file"));

        Path noCertificate = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertTrue(error(Map.of("SSL_CERT_FILE", noCertificate.toString())).startsWith("SSL_CERT_FILE=" + noCertificate
                + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it"));

        Path broken = Files.writeString(dir.resolve("broken.pem"), Files.readString(a.pem)
                + "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        String message = error(Map.of("CURL_CA_BUNDLE", broken.toString()));
        assertTrue(message.startsWith("CURL_CA_BUNDLE=" + broken + ": certificate 2 is not a valid X.509 certificate ("), message);

        Path emptyFolder = Files.createDirectory(dir.resolve("empty"));
        assertTrue(error(Map.of("REQUESTS_CA_BUNDLE", emptyFolder.toString())).startsWith("REQUESTS_CA_BUNDLE=" + emptyFolder
                + ": no PEM certificate"));
    }
}
