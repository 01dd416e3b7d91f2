package dev.resumo.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading answers off raw sockets in the tests that hold connections themselves. */
final class RawResponses {
    private RawResponses() {}

    /** One response on a kept-alive connection (headers, then Content-Length bytes). */
    static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) break;
            head.append((char) b);
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
