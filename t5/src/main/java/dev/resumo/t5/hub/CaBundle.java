package dev.resumo.t5.hub;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA certificates to trust for https, from the variables Python users of huggingface_hub
 * already set behind a TLS-inspecting company proxy: {@code REQUESTS_CA_BUNDLE}, then
 * {@code CURL_CA_BUNDLE} (the order requests reads them in), then {@code SSL_CERT_FILE} and
 * {@code SSL_CERT_DIR} (OpenSSL's, which httpx reads in that order: huggingface_hub 1.x connects
 * through httpx). The first one set names a PEM bundle (or a folder of PEM files, as requests
 * takes one; {@code SSL_CERT_DIR} is one or more folders separated by ':', as OpenSSL takes it) and,
 * as in requests, <em>replaces</em> the default trust anchors: a user whose Python
 * downloads work with that bundle gets the same trust here, no more. Without any of them the JDK's
 * default applies, which {@code -Djavax.net.ssl.trustStore} changes as usual.
 *
 * <p>Verification is never turned off: {@code CURL_CA_BUNDLE=""} (an old way to make requests skip
 * it) is an unset variable here, like every blank one.
 */
final class CaBundle {
    static final List<String> VARIABLES = List.of("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR");
    /** OpenSSL's folder variable: a list of folders (its capath), read as one bundle. */
    private static final String CERT_DIRS = "SSL_CERT_DIR";
    /**
     * One PEM certificate. Text between blocks (certifi's "# Issuer:" comments, OpenSSL's text dumps)
     * is passed over, as OpenSSL does; a block whose inside is not base64 is an error, not skipped.
     */
    private static final Pattern PEM = Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);

    private final String variable;
    private final Path path;
    private final List<X509Certificate> certificates;

    private CaBundle(String variable, Path path, List<X509Certificate> certificates) {
        this.variable = variable;
        this.path = path;
        this.certificates = certificates;
    }

    /**
     * The bundle the first set variable names, or null when none is set.
     *
     * @throws IllegalArgumentException one line naming the variable and the file: missing, unreadable,
     *     no certificate in it, or a certificate that does not parse
     */
    static CaBundle fromEnvironment(Map<String, String> env) {
        for (String name : VARIABLES) {
            String value = env.get(name);
            if (value == null || value.isBlank()) continue;
            if (name.equals(CERT_DIRS)) return folders(value.strip());
            Path path = Path.of(value.strip());
            return new CaBundle(name, path, List.copyOf(read(name, path)));
        }
        return null;
    }

    /**
     * SSL_CERT_DIR: each of its ':'-separated folders must exist and be a folder (OpenSSL passes over
     * a missing one silently; here a typo is named instead of trusting fewer CAs than meant), and
     * together they must hold a certificate.
     */
    private static CaBundle folders(String value) {
        Set<X509Certificate> all = new LinkedHashSet<>();
        for (String part : value.split(java.io.File.pathSeparator)) {
            if (part.isBlank()) continue;
            Path folder = Path.of(part.strip());
            if (!Files.exists(folder)) throw new IllegalArgumentException(CERT_DIRS + "=" + value + ": no such folder " + folder);
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException(CERT_DIRS + "=" + value + ": " + folder
                        + " is a file, not a folder; a single PEM file goes in SSL_CERT_FILE");
            }
            all.addAll(read(CERT_DIRS, folder));
        }
        if (all.isEmpty()) throw new IllegalArgumentException(CERT_DIRS + "=" + value + ": names no folder");
        return new CaBundle(CERT_DIRS, Path.of(value), List.copyOf(all));
    }

    private static List<X509Certificate> read(String variable, Path path) {
        // A set: /etc/ssl/certs holds each CA up to three times (its .pem, its hash link, ca-certificates.crt).
        Set<X509Certificate> all = new LinkedHashSet<>();
        if (Files.isDirectory(path)) {
            // A folder (requests' capath): every file in it that holds certificates; others (READMEs) are passed over.
            try (Stream<Path> files = Files.list(path)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) all.addAll(certificates(variable, file));
            } catch (IOException e) {
                throw new IllegalArgumentException(variable + "=" + path + ": cannot list the folder (" + e.getMessage() + ")");
            }
        } else {
            all.addAll(certificates(variable, path));
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException(variable + "=" + path + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in it;"
                    + " it must name a PEM file of CA certificates, as for Python's requests");
        }
        return List.copyOf(all);
    }

    private static List<X509Certificate> certificates(String variable, Path file) {
        String text;
        try {
            // Latin-1 reads any bytes: a DER or binary file then simply has no PEM block in it.
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(variable + "=" + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(variable + "=" + file + ": cannot read it (" + e.getMessage() + ")");
        }
        List<X509Certificate> found = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        CertificateFactory x509 = x509();
        while (m.find()) {
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(1));
                found.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException | IllegalArgumentException e) {
                throw new IllegalArgumentException(variable + "=" + file + ": certificate " + (found.size() + 1)
                        + " is not a valid X.509 certificate (" + e.getMessage() + ")");
            }
        }
        return found;
    }

    private static CertificateFactory x509() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("every JDK has an X.509 certificate factory", e);
        }
    }

    /** An SSLContext that trusts exactly these certificates (host names are still checked by the HTTP client). */
    SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context from " + this + ": " + e, e);
        }
    }

    /** The JDK's PKIX trust managers, with these certificates as their only anchors. */
    TrustManager[] trustManagers() {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            for (int i = 0; i < certificates.size(); i++) anchors.setCertificateEntry("ca-" + i, certificates.get(i));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            return trust.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build trust managers from " + this + ": " + e, e);
        }
    }

    /** For messages: which variable, which file, how many certificates. */
    @Override
    public String toString() {
        return variable + "=" + path + " (" + certificates.size() + " certificate" + (certificates.size() == 1 ? "" : "s") + ")";
    }
}
