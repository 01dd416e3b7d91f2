package dev.resumo.t5.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate made at test time by the JDK's keytool (the JDK has no public
 * API to issue one), so that no key material is committed: a PKCS12 key store for the test server,
 * and the certificate alone as a PEM file, the form a CA bundle variable names.
 */
final class TestCertificate {
    private static final String PASSWORD = "test-only";

    final Path keyStore;
    final Path pem;

    private TestCertificate(Path keyStore, Path pem) {
        this.keyStore = keyStore;
        this.pem = pem;
    }

    /**
     * @param subjectAltName keytool's form, e.g. {@code ip:127.0.0.1} or {@code dns:elsewhere.invalid}
     */
    static TestCertificate generate(Path dir, String name, String subjectAltName) throws IOException {
        Path keyStore = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        // EC P-256: key generation takes milliseconds where RSA 2048 takes up to a second on a busy core.
        keytool("-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=resumo test " + name,
                "-ext", "san=" + subjectAltName, "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "hub", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        return new TestCertificate(keyStore, pem);
    }

    /**
     * A server certificate for {@code subjectAltName} signed by a CA of its own, valid from
     * {@code startDate} (keytool's form, e.g. {@code -10d}) for {@code days}: {@link #pem} is the
     * CA's certificate (the bundle that trusts it), the key store holds the server's key and chain.
     * A signed leaf, not a self-signed one, because the JDK checks the dates of the chain it
     * builds, not those of a trust anchor that is the server's own certificate.
     */
    static TestCertificate signed(Path dir, String name, String subjectAltName, String startDate, int days) throws IOException {
        Path ca = dir.resolve(name + "-ca.p12"), keyStore = dir.resolve(name + ".p12");
        Path caPem = dir.resolve(name + "-ca.pem"), request = dir.resolve(name + ".csr"), leafPem = dir.resolve(name + "-leaf.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=resumo test CA " + name,
                "-ext", "bc:c", "-validity", "30", "-startdate", "-20d", "-keystore", ca.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-file", caPem.toString());
        keytool("-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=resumo test " + name,
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-certreq", "-alias", "hub", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file", request.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-infile", request.toString(),
                "-outfile", leafPem.toString(), "-ext", "san=" + subjectAltName, "-startdate", startDate, "-validity", String.valueOf(days));
        keytool("-importcert", "-alias", "ca", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file", caPem.toString());
        keytool("-importcert", "-alias", "hub", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file", leafPem.toString());
        return new TestCertificate(keyStore, caPem);
    }

    private static void keytool(String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalStateException("the TLS tests need the JDK's keytool, not found at " + keytool + " (run them on a full JDK)");
        }
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-noprompt"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }

    /** The server side: this certificate and its key. */
    SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the test key store " + keyStore, e);
        }
    }
}
