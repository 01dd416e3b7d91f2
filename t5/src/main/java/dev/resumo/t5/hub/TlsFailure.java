package dev.resumo.t5.hub;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;

/**
 * A failed TLS handshake in words that say what to do. The JDK's own message ("PKIX path building
 * failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid
 * certification path to requested target") names neither the cause a user can act on (a company
 * proxy that re-signs https with its own CA) nor the fix (the CA variables {@link CaBundle} reads).
 */
final class TlsFailure {
    private TlsFailure() {}

    /**
     * @param hostAndPort the server whose certificate failed
     * @param what the repository and file being fetched
     * @param proxy host:port of the proxy the request went through, or null
     * @param bundle the CA bundle in use, or null for the JDK's trust store
     */
    static String message(SSLException e, String hostAndPort, String what, String proxy, CaBundle bundle) {
        String via = proxy == null ? "" : " through the proxy " + proxy;
        if (hostNameMismatch(e) != null) {
            return "the TLS certificate of " + hostAndPort + " is not for that host name (" + hostNameMismatch(e) + "), fetching "
                    + what + via + "; check the host in HF_ENDPOINT" + (proxy == null ? "" : " and whether the proxy re-signs https");
        }
        String dates = outOfDates(e);
        if (dates != null) {
            return "the TLS certificate of " + hostAndPort + " (or one in its chain) is outside its dates (" + dates + "), fetching "
                    + what + via + "; this machine's clock reads " + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    + ": if that is right, the certificate must be renewed where it is served";
        }
        if (untrusted(e)) {
            String trusted = bundle == null ? "the JDK's default CAs" : "the CAs of " + bundle;
            return "the TLS certificate of " + hostAndPort + " is not signed by a trusted CA (" + trusted + "), fetching " + what + via
                    + (proxy == null ? "" : ", which may re-sign https with a company CA")
                    + (bundle == null
                            ? "; set REQUESTS_CA_BUNDLE (or CURL_CA_BUNDLE, SSL_CERT_FILE, SSL_CERT_DIR) to a PEM file with that CA,"
                                    + " or give java -Djavax.net.ssl.trustStore=... (RESUMO_JAVA_OPTS for bin/resumo)"
                            // The bundle replaces the default CAs (as in requests): the missing one goes into it.
                            : "; add the CA that signed it to that PEM file");
        }
        return "TLS with " + hostAndPort + " failed, fetching " + what + via + " (" + e.getMessage()
                + "); check that HF_ENDPOINT is https only where the server speaks TLS";
    }

    /**
     * The JDK's words for a certificate whose names do not include the host (HostnameChecker's
     * "No subject alternative DNS name matching x found." and its kin), or null.
     */
    private static String hostNameMismatch(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (t instanceof CertificateException && m != null && (m.startsWith("No subject alternative") || m.startsWith("No name matching"))) {
                return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
            }
        }
        return null;
    }

    /**
     * The JDK's words for a certificate used outside its validity dates ("NotAfter: ...",
     * "NotBefore: ..."), or null. A machine whose clock is wrong sees every certificate so: the
     * message gives the clock's reading, which the generic text did not.
     */
    private static String outOfDates(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            }
        }
        return null;
    }

    /**
     * No chain from the server's certificate to a trust anchor. Only the builder's failure: a
     * CertPathValidatorException is a chain that was found but failed (expired, revoked), which the
     * JDK's own message, kept in the generic case, describes better than "not trusted".
     */
    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertPathBuilderException) return true;
        }
        return false;
    }
}
