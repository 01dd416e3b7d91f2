package dev.resumo.t5.hub;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The proxies the environment names, read as Python's requests (and so huggingface_hub) reads them:
 * {@code https_proxy} / {@code HTTPS_PROXY} for https URLs, {@code http_proxy} / {@code HTTP_PROXY}
 * for http ones, {@code all_proxy} / {@code ALL_PROXY} for both, the lower-case name first; hosts
 * in {@code no_proxy} / {@code NO_PROXY} go direct. Why: Java's HTTP client reads none of these, so
 * behind a corporate proxy {@code resumo fetch} said "cannot reach huggingface.co" where
 * {@code huggingface-cli download} worked.
 *
 * <p>Credentials in the URL ({@code http://user:p%40ss@proxy:3128}) are percent-decoded and sent to
 * that proxy as Basic authentication, as requests sends them ({@link #authorizationFor}; https
 * tunnels need {@link ProxyTunnelAuthentication}). The password never appears in a message.
 * What Java's client cannot do is refused when the variable is read, naming it: a proxy reached
 * over TLS ({@code https://} proxy URLs) and SOCKS.
 */
final class EnvironmentProxies extends ProxySelector {
    /** One proxy variable as read: its name, where it points, and the Proxy-Authorization value (null: none). */
    record ProxyUrl(String variable, InetSocketAddress address, String authorization) {
        String hostAndPort() {
            return address.getHostString() + ":" + address.getPort();
        }

        @Override
        public String toString() { // no credentials, not even encoded
            return variable + "=" + hostAndPort() + (authorization == null ? "" : " (with credentials)");
        }
    }

    private final ProxyUrl http;
    private final ProxyUrl https;
    private final List<String> noProxy;
    private final List<IpRange> noProxyAddresses;
    private final boolean noneAtAll;

    private EnvironmentProxies(ProxyUrl http, ProxyUrl https, List<String> noProxy, List<IpRange> noProxyAddresses,
                               boolean noneAtAll) {
        this.http = http;
        this.https = https;
        this.noProxy = noProxy;
        this.noProxyAddresses = noProxyAddresses;
        this.noneAtAll = noneAtAll;
    }

    /** The selector for {@code env}, or null when it names no proxy (the client then goes direct). */
    static EnvironmentProxies from(Map<String, String> env) {
        String[] all = variable(env, "all_proxy");
        String[] forHttp = variable(env, "http_proxy");
        String[] forHttps = variable(env, "https_proxy");
        ProxyUrl allProxy = all == null ? null : proxyUrl(all);
        ProxyUrl httpProxy = forHttp == null ? allProxy : proxyUrl(forHttp);
        ProxyUrl httpsProxy = forHttps == null ? allProxy : proxyUrl(forHttps);
        if (httpProxy == null && httpsProxy == null) return null;
        if (httpsProxy != null && httpsProxy.authorization != null && ProxyTunnelAuthentication.basicDisabledByUser()) {
            throw new IllegalArgumentException(httpsProxy.variable + ": the proxy credentials cannot be sent for https downloads: -D"
                    + ProxyTunnelAuthentication.PROPERTY + "=" + System.getProperty(ProxyTunnelAuthentication.PROPERTY)
                    + " forbids Basic authentication in CONNECT tunnels; drop that option");
        }
        String[] no = variable(env, "no_proxy");
        List<String> hosts = new ArrayList<>();
        List<IpRange> addresses = new ArrayList<>();
        boolean none = false;
        if (no != null) {
            for (String entry : no[1].split(",")) {
                String h = entry.strip().toLowerCase(Locale.ROOT);
                if (h.isEmpty()) continue;
                if (h.equals("*")) none = true;
                IpRange range;
                try {
                    range = IpRange.parse(h);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(no[0] + " entry " + e.getMessage());
                }
                if (range != null) addresses.add(range);
                if (h.indexOf('/') < 0) hosts.add(h.startsWith(".") ? h.substring(1) : h);
            }
        }
        return new EnvironmentProxies(httpProxy, httpsProxy, List.copyOf(hosts), List.copyOf(addresses), none);
    }

    /** {name, value} of the lower-case variable, else the upper-case one; null when neither is set (or blank). */
    private static String[] variable(Map<String, String> env, String lowerName) {
        for (String name : new String[] {lowerName, lowerName.toUpperCase(Locale.ROOT)}) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) return new String[] {name, v.strip()};
        }
        return null;
    }

    private static ProxyUrl proxyUrl(String[] variable) {
        String name = variable[0];
        // requests' prepend_scheme_if_needed: "proxy:3128" is http://proxy:3128.
        String value = variable[1].contains("://") ? variable[1] : "http://" + variable[1];
        // The user info is cut out by hand, as urllib's urlsplit does (up to the last '@' of the
        // authority): java.net.URI gives up on a raw '@' or ':' in a password, and every message
        // below shows the URL without it.
        int authorityStart = value.indexOf("://") + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < value.length() && "/?#".indexOf(value.charAt(authorityEnd)) < 0) authorityEnd++;
        int at = value.lastIndexOf('@', authorityEnd - 1);
        String userInfo = at >= authorityStart ? value.substring(authorityStart, at) : null;
        String withoutUser = userInfo == null ? value : value.substring(0, authorityStart) + value.substring(at + 1);
        String shown = userInfo == null ? value : value.substring(0, authorityStart) + userInfo.split(":", 2)[0]
                + (userInfo.contains(":") ? ":***" : "") + value.substring(at);
        URI uri;
        try {
            uri = URI.create(withoutUser);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " '" + shown + "' is not a proxy URL (e.g. http://proxy.example:3128)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException(name + " '" + shown + "': a " + scheme + ":// proxy is not supported "
                    + "(Java's HTTP client reaches proxies over plain http:// only; no TLS to the proxy, no SOCKS)");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException(name + " '" + shown + "' has no host name (e.g. http://proxy.example:3128)");
        }
        if (uri.getPort() > 65535) {
            throw new IllegalArgumentException(name + " '" + shown + "': port " + uri.getPort() + " is out of range");
        }
        // requests' default for an http:// proxy without a port: 80.
        InetSocketAddress address = InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
        return new ProxyUrl(name, address, userInfo == null ? null : basicAuthorization(name, userInfo));
    }

    /**
     * requests' proxy_headers: user and password percent-decoded (unquote: UTF-8, a malformed escape
     * kept as it is), joined by ':' in Latin-1 and base64-encoded. A user with no ':password' sends
     * nothing (requests' get_auth_from_url gives ("", "") then); "user:" sends an empty password.
     */
    private static String basicAuthorization(String variable, String userInfo) {
        int colon = userInfo.indexOf(':');
        if (colon < 0) return null;
        String user = percentDecode(userInfo.substring(0, colon));
        String password = percentDecode(userInfo.substring(colon + 1));
        if (user.isEmpty()) return null; // requests: `if username:`
        String pair = user + ":" + password;
        if (!StandardCharsets.ISO_8859_1.newEncoder().canEncode(pair)) {
            throw new IllegalArgumentException(variable + ": the proxy user name or password has characters outside Latin-1,"
                    + " which Basic proxy authentication (as requests sends it) cannot carry");
        }
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** urllib's unquote: %XX escapes to bytes, read as UTF-8; '+' stays '+'. */
    static String percentDecode(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); ) {
            if (s.charAt(i) == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    /** The proxy {@code uri} goes through, or null when it goes direct. */
    ProxyUrl proxyFor(URI uri) {
        ProxyUrl proxy = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
        return proxy == null || bypasses(uri) ? null : proxy;
    }

    /**
     * The Proxy-Authorization value for a request to {@code uri}: the credentials of the proxy it goes
     * through, none when it goes direct, so they reach that proxy only (never the hub).
     */
    Optional<String> authorizationFor(URI uri) {
        ProxyUrl proxy = proxyFor(uri);
        return proxy == null ? Optional.empty() : Optional.ofNullable(proxy.authorization);
    }

    @Override
    public List<Proxy> select(URI uri) {
        ProxyUrl proxy = proxyFor(uri);
        return List.of(proxy == null ? Proxy.NO_PROXY : new Proxy(Proxy.Type.HTTP, proxy.address));
    }

    /**
     * no_proxy as requests matches it: "*", or the host (with or without a port) or a domain it ends
     * in; for a host that is an IP literal, also an address or network ({@code 10.0.0.0/8}) holding
     * it (requests' should_bypass_proxies does so for IPv4; IPv6 networks are matched alike).
     */
    boolean bypasses(URI uri) {
        if (noneAtAll) return true;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        byte[] ip = IpRange.literal(host);
        if (ip != null) {
            for (IpRange range : noProxyAddresses) {
                if (range.contains(ip)) return true;
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        for (String entry : noProxy) {
            String entryHost = entry;
            int colon = entry.lastIndexOf(':');
            if (colon > 0 && entry.indexOf(':') == colon) { // host:port (an IPv6 address has several colons)
                if (!entry.substring(colon + 1).equals(Integer.toString(port))) continue;
                entryHost = entry.substring(0, colon);
            }
            if (host.equals(entryHost) || host.endsWith("." + entryHost)) return true;
        }
        return false;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress proxy, IOException e) {
        // Nothing to fall back to: the request fails with the connection error, which names the host.
    }

    @Override
    public String toString() {
        return "proxies http=" + http + " https=" + https + " no_proxy=" + noProxy + " (+" + noProxyAddresses.size() + " networks)";
    }
}
