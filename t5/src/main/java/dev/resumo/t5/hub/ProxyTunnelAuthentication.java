package dev.resumo.t5.hub;

import java.util.Arrays;
import java.util.Locale;

/**
 * Lets Java's HTTP client send Basic proxy credentials on the CONNECT that opens an https tunnel,
 * as Python's requests does. The JDK drops a {@code Proxy-Authorization: Basic} header from CONNECT
 * requests while {@code jdk.http.auth.tunneling.disabledSchemes} lists Basic, which the JDK's
 * {@code net.properties} does by default; the client reads that property once, when its internal
 * classes initialise (the first HttpClient or HttpRequest built in the JVM), so it must be cleared
 * before that: {@link HubClient}'s class initialiser calls {@link #allowBasic()}, and so does the
 * CLI's {@code main} first thing, before any other code (MLflow tracking, serving) can build one.
 * Measured on JDK 25.0.3: set later, CONNECT goes out without the header and the proxy answers 407.
 *
 * <p>Why allowing it is safe here: the JDK disables it so that an Authenticator does not hand a
 * password to any proxy that asks. Resumo sends credentials only when the user wrote them into
 * the proxy URL of the variable the request goes through, and only to that proxy (the JDK strips
 * {@code Proxy-*} headers from requests sent direct or inside the tunnel). They cross the network
 * unencrypted to the proxy, exactly as with requests, curl and pip.
 */
public final class ProxyTunnelAuthentication {
    static final String PROPERTY = "jdk.http.auth.tunneling.disabledSchemes";

    private ProxyTunnelAuthentication() {}

    /** Clears the property, unless the user set it (-D...): an explicit choice is kept and reported when it bites. */
    public static void allowBasic() {
        if (System.getProperty(PROPERTY) == null) System.setProperty(PROPERTY, "");
    }

    /** Whether the user set the property so that Basic stays disabled for tunnels (then credentials cannot go out). */
    static boolean basicDisabledByUser() {
        String v = System.getProperty(PROPERTY);
        return v != null && Arrays.stream(v.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).anyMatch("basic"::equals);
    }
}
