package dev.resumo.t5.hub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxies the environment names, read as Python's requests (and so huggingface_hub) reads them:
 * {@code https_proxy} / {@code HTTPS_PROXY} for https URLs, {@code http_proxy} / {@code HTTP_PROXY}
 * for http ones, {@code all_proxy} / {@code ALL_PROXY} for both, the lower-case name first; hosts
 * in {@code no_proxy} / {@code NO_PROXY} go direct. Why: Java's HTTP client reads none of these, so
 * behind a corporate proxy {@code resumo fetch} said "cannot reach huggingface.co" where
 * {@code huggingface-cli download} worked.
 *
 * <p>What Java's client cannot do is refused when the variable is read, naming it: a proxy reached
 * over TLS ({@code https://} proxy URLs), SOCKS, and credentials in the URL (its CONNECT tunnels
 * refuse Basic proxy authentication by default).
 */
final class EnvironmentProxies extends ProxySelector {
    private final InetSocketAddress http;
    private final InetSocketAddress https;
    private final List<String> noProxy;
    private final boolean noneAtAll;

    private EnvironmentProxies(InetSocketAddress http, InetSocketAddress https, List<String> noProxy, boolean noneAtAll) {
        this.http = http;
        this.https = https;
        this.noProxy = noProxy;
        this.noneAtAll = noneAtAll;
    }

    /** The selector for {@code env}, or null when it names no proxy (the client then goes direct). */
    static EnvironmentProxies from(Map<String, String> env) {
        String[] all = variable(env, "all_proxy");
        String[] forHttp = variable(env, "http_proxy");
        String[] forHttps = variable(env, "https_proxy");
        InetSocketAddress allAddress = all == null ? null : address(all);
        InetSocketAddress httpAddress = forHttp == null ? allAddress : address(forHttp);
        InetSocketAddress httpsAddress = forHttps == null ? allAddress : address(forHttps);
        if (httpAddress == null && httpsAddress == null) return null;
        String[] no = variable(env, "no_proxy");
        List<String> hosts = new ArrayList<>();
        boolean none = false;
        if (no != null) {
            for (String entry : no[1].split(",")) {
                String h = entry.strip().toLowerCase(Locale.ROOT);
                if (h.isEmpty()) continue;
                if (h.equals("*")) none = true;
                hosts.add(h.startsWith(".") ? h.substring(1) : h);
            }
        }
        return new EnvironmentProxies(httpAddress, httpsAddress, List.copyOf(hosts), none);
    }

    /** {name, value} of the lower-case variable, else the upper-case one; null when neither is set (or blank). */
    private static String[] variable(Map<String, String> env, String lowerName) {
        for (String name : new String[] {lowerName, lowerName.toUpperCase(Locale.ROOT)}) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) return new String[] {name, v.strip()};
        }
        return null;
    }

    private static InetSocketAddress address(String[] variable) {
        String name = variable[0], value = variable[1];
        URI uri;
        try {
            uri = URI.create(value.contains("://") ? value : "http://" + value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " '" + value + "' is not a proxy URL (e.g. http://proxy.example:3128)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException(name + " '" + value + "': a " + scheme + ":// proxy is not supported "
                    + "(Java's HTTP client reaches proxies over plain http:// only; no TLS to the proxy, no SOCKS)");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(name + ": credentials in the proxy URL are not supported (Java's HTTP "
                    + "client refuses Basic authentication for the tunnels https needs); use a proxy that does not ask for them");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException(name + " '" + value + "' has no host name (e.g. http://proxy.example:3128)");
        }
        if (uri.getPort() > 65535) {
            throw new IllegalArgumentException(name + " '" + value + "': port " + uri.getPort() + " is out of range");
        }
        // requests' default for an http:// proxy without a port: 80.
        return InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
    }

    @Override
    public List<Proxy> select(URI uri) {
        InetSocketAddress proxy = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
        if (proxy == null || bypasses(uri)) return List.of(Proxy.NO_PROXY);
        return List.of(new Proxy(Proxy.Type.HTTP, proxy));
    }

    /** no_proxy as requests matches it: "*", or the host (with or without a port) or a domain it ends in. */
    boolean bypasses(URI uri) {
        if (noneAtAll) return true;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
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
        return "proxies http=" + http + " https=" + https + " no_proxy=" + noProxy;
    }
}
