package dev.resumo.t5.hub;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network as a NO_PROXY entry gives it ({@code 10.0.0.0/8}, {@code ::1/128}, or a
 * plain address: the network of that one address), matched against hosts that are IP literals.
 * Nothing is resolved: requests does not resolve host names for its CIDR check either, and a DNS
 * lookup per request would be a new way to fail.
 */
record IpRange(byte[] network, int prefixBits) {
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * The address bytes (4 or 16) of {@code host} when it is an IP literal (brackets allowed around
     * IPv6), else null. IPv4 in dotted-quad form only: the short forms inet_aton takes ("10.1") are
     * host names to a URL parser.
     */
    static byte[] literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            if (DOTTED_QUAD.matcher(h).matches()) return Inet4Address.ofLiteral(h).getAddress();
            if (h.indexOf(':') >= 0) return Inet6Address.ofLiteral(h).getAddress(); // ::ffff:a.b.c.d gives 4 bytes
        } catch (IllegalArgumentException notAnAddress) {
            // 300.1.1.1, 1:2:3:::4 ...: not an IP literal
        }
        return null;
    }

    /**
     * The range {@code entry} names: "address/bits" or a plain address; null when the entry is no IP
     * address (a host or domain name, or host:port).
     *
     * @throws IllegalArgumentException for an address with a prefix length that is not a number in range
     *     (a typo that would otherwise silently send those hosts through the proxy)
     */
    static IpRange parse(String entry) {
        int slash = entry.indexOf('/');
        byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash));
        if (address == null) return null;
        int max = address.length * 8;
        if (slash < 0) return new IpRange(address, max);
        String bits = entry.substring(slash + 1);
        if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > max) {
            throw new IllegalArgumentException("'" + entry + "': the prefix length after '/' must be a number from 0 to " + max);
        }
        return new IpRange(address, Integer.parseInt(bits));
    }

    /** Whether {@code address} (4 or 16 bytes) lies in this network; an IPv4 address never lies in an IPv6 one. */
    boolean contains(byte[] address) {
        if (address.length != network.length) return false;
        int full = prefixBits / 8, rest = prefixBits % 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) return false;
        }
        if (rest == 0) return true;
        int mask = 0xff << (8 - rest) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }
}
