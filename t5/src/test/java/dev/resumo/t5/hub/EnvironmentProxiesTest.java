package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy variables as Python's requests reads them (huggingface_hub goes through it): which
 * proxy a URL takes, which hosts NO_PROXY sends direct, what Java's client cannot do refused by
 * name — and a download from a hub on 127.0.0.1 through a forward proxy the test runs.
 */
class EnvironmentProxiesTest {
    @TempDir
    Path cache;

    private static String proxyOf(EnvironmentProxies p, String url) {
        Proxy proxy = p.select(URI.create(url)).getFirst();
        return proxy.type() == Proxy.Type.DIRECT ? "direct" : proxy.address().toString();
    }

    @Test
    void eachSchemeTakesItsOwnVariableLowerCaseFirstAndAllProxyElse() {
        EnvironmentProxies p = EnvironmentProxies.from(Map.of("HTTPS_PROXY", "http://upper:1", "https_proxy", "lower:2",
                "ALL_PROXY", "http://all:3"));
        assertEquals("lower/<unresolved>:2", proxyOf(p, "https://huggingface.co/x"));
        assertEquals("all/<unresolved>:3", proxyOf(p, "http://mirror.example/x"), "http falls back to ALL_PROXY");
        EnvironmentProxies portless = EnvironmentProxies.from(Map.of("HTTPS_PROXY", "http://proxy.corp"));
        assertEquals("proxy.corp/<unresolved>:80", proxyOf(portless, "https://huggingface.co/x"), "requests' default port");
        assertEquals("direct", proxyOf(portless, "http://huggingface.co/x"), "no http proxy named");
        assertNull(EnvironmentProxies.from(Map.of("HF_TOKEN", "x", "HTTPS_PROXY", " ")), "no proxy: the client goes direct");
    }

    @Test
    void noProxyMatchesHostsDomainsPortsAndStar() {
        EnvironmentProxies p = EnvironmentProxies.from(Map.of("HTTPS_PROXY", "http://proxy:3128", "HTTP_PROXY", "http://proxy:3128",
                "no_proxy", " internal.corp, .lab.example ,10.0.0.7,mirror.example:8443"));
        assertEquals("direct", proxyOf(p, "https://internal.corp/x"));
        assertEquals("direct", proxyOf(p, "https://hub.internal.corp/x"), "a domain covers its subdomains");
        assertEquals("proxy/<unresolved>:3128", proxyOf(p, "https://notinternal.corp/x"), "a suffix that is no domain");
        assertEquals("direct", proxyOf(p, "http://a.lab.example/x"), "a leading dot");
        assertEquals("direct", proxyOf(p, "http://10.0.0.7:8080/x"));
        assertEquals("direct", proxyOf(p, "https://mirror.example:8443/x"), "host:port, that port");
        assertEquals("proxy/<unresolved>:3128", proxyOf(p, "https://mirror.example/x"), "host:port, another port");
        assertEquals("proxy/<unresolved>:3128", proxyOf(p, "https://huggingface.co/x"));
        EnvironmentProxies star = EnvironmentProxies.from(Map.of("HTTPS_PROXY", "http://proxy:3128", "NO_PROXY", "*"));
        assertEquals("direct", proxyOf(star, "https://huggingface.co/x"));
    }

    @Test
    void noProxyNetworksAndAddressesMatchHostsThatAreIpLiterals() {
        EnvironmentProxies p = EnvironmentProxies.from(Map.of("HTTP_PROXY", "http://proxy:3128",
                "NO_PROXY", "10.0.0.0/8, 127.0.0.0/8,::1/128,192.168.1.17,172.16.0.0/12,fe80::/10,[2001:db8::7]"));
        String proxied = "proxy/<unresolved>:3128";
        assertEquals("direct", proxyOf(p, "http://10.200.3.4/x"));
        assertEquals(proxied, proxyOf(p, "http://11.0.0.1/x"));
        assertEquals("direct", proxyOf(p, "http://127.0.0.1:8080/x"));
        assertEquals("direct", proxyOf(p, "http://192.168.1.17/x"), "a plain address");
        assertEquals(proxied, proxyOf(p, "http://192.168.1.18/x"));
        assertEquals("direct", proxyOf(p, "http://172.31.255.255/x"), "a /12: the mask cuts through a byte");
        assertEquals(proxied, proxyOf(p, "http://172.32.0.0/x"));
        assertEquals("direct", proxyOf(p, "http://[::1]:8080/x"));
        assertEquals("direct", proxyOf(p, "http://[0:0:0:0:0:0:0:1]/x"), "the same address written out");
        assertEquals(proxied, proxyOf(p, "http://[::2]/x"));
        assertEquals("direct", proxyOf(p, "http://[fe80::1]/x"));
        assertEquals(proxied, proxyOf(p, "http://[fec0::1]/x"), "outside fe80::/10");
        assertEquals("direct", proxyOf(p, "http://[2001:db8:0::7]/x"), "a plain IPv6 address, bracketed");
        assertEquals(proxied, proxyOf(p, "http://localhost/x"), "names are not resolved for the networks (nor by requests)");
        assertEquals(proxied, proxyOf(p, "http://10.example/x"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnvironmentProxies.from(
                Map.of("HTTP_PROXY", "http://proxy:3128", "no_proxy", "internal.corp,10.0.0.0/33")));
        assertEquals("no_proxy entry '10.0.0.0/33': the prefix length after '/' must be a number from 0 to 32", e.getMessage());
    }

    @Test
    void whatJavasClientCannotDoIsRefusedNamingTheVariable() {
        String[][] cases = {
            {"HTTPS_PROXY", "https://proxy:443", "https:// proxy is not supported"},
            {"ALL_PROXY", "socks5://proxy:1080", "socks5:// proxy is not supported"},
            {"HTTPS_PROXY", "https://user:secret@proxy:443", "https:// proxy is not supported"},
            {"HTTP_PROXY", "http://:3128", "has no host name"},
            {"HTTP_PROXY", "http://user:se@cret@:3128", "has no host name"},
            {"https_proxy", "http://user:secret%E2%82%AC@proxy:3128", "outside Latin-1"},
            {"HTTP_PROXY", "http://proxy:99999", "out of range"},
            {"HTTP_PROXY", "http://pro xy:1", "is not a proxy URL"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HubClient.fromEnvironment(Map.of(c[0], c[1]), null), c[1]);
            assertTrue(e.getMessage().startsWith(c[0]) && e.getMessage().contains(c[2]), e.getMessage());
            assertTrue(!e.getMessage().contains("secret") && !e.getMessage().contains("cret"),
                    "the password is not echoed: " + e.getMessage());
        }
    }

    @Test
    void aProxyThatCannotBeReachedIsNamedNotTheHub() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        HubClient client = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", "http://hub.invalid", "HTTP_PROXY",
                "http://127.0.0.1:" + port), null);
        HubException e = assertThrows(HubException.class,
                () -> client.download(RepoId.parse("org/tiny"), "main", "config.json", cache.resolve("c.json"), false));
        assertTrue(e.getMessage().startsWith("cannot reach the proxy 127.0.0.1:" + port) && e.getMessage().contains("HTTP_PROXY"),
                e.getMessage());
    }

    @Test
    void aFetchGoesThroughTheProxyTheEnvironmentNamesAndNoProxyBypassesIt() throws IOException {
        byte[] config = "{\"d_model\": 8}".getBytes(StandardCharsets.UTF_8);
        byte[] weights = new byte[4096];
        for (int i = 0; i < weights.length; i++) weights[i] = (byte) (i * 31);
        try (FakeHub hub = new FakeHub(); ForwardProxy proxy = new ForwardProxy()) {
            hub.put("org/tiny", "main", "config.json", config, false);
            hub.put("org/tiny", "main", "dados/tabela.bin", weights, true);
            RepoId id = RepoId.parse("org/tiny");
            HubClient through = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint().toString(),
                    "http_proxy", proxy.url()), null);
            Path viaProxy = cache.resolve("via-proxy");
            assertTrue(through.download(id, "main", "dados/tabela.bin", viaProxy, false));
            assertArrayEquals(weights, Files.readAllBytes(viaProxy));
            List<String> asked = proxy.asked.stream().map(URI::getPath).toList();
            assertTrue(asked.contains("/org/tiny/resolve/main/dados/tabela.bin"), "the hub request went through the proxy: " + asked);
            assertTrue(proxy.asked.size() >= 2, "and the storage redirect too: " + proxy.asked);

            int before = proxy.asked.size();
            HubClient direct = HubClient.fromEnvironment(Map.of("HF_ENDPOINT", hub.endpoint().toString(),
                    "HTTP_PROXY", proxy.url(), "NO_PROXY", "127.0.0.1"), null);
            Path bypassed = cache.resolve("direct");
            assertTrue(direct.download(id, "main", "config.json", bypassed, false));
            assertArrayEquals(config, Files.readAllBytes(bypassed));
            assertEquals(before, proxy.asked.size(), "NO_PROXY=127.0.0.1: nothing went through the proxy");
        }
    }
}
