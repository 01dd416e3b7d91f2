package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * A request whose bytes stop coming is cut off with a 408 when its time is up — also when the
 * socket's timeout, set from the time left in whole milliseconds, fires a fraction of a
 * millisecond before the deadline by the clock (the server then closed the connection silently,
 * as for an idle one, one run in two of SlowClientsTest on a loaded machine).
 */
class RequestDeadlineTest {
    @Test
    void aSilentRequestAlwaysEndsIn408() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
             Socket server = listener.accept()) {
            client.getOutputStream().write('G'); // a request has begun; nothing more comes
            RequestDeadline in = new RequestDeadline(server, 10_000, 25);
            assertEquals('G', in.read());
            for (int attempt = 0; attempt < 40; attempt++) {
                in.arm();
                MalformedRequestException e = assertThrows(MalformedRequestException.class, in::read,
                        "attempt " + attempt + ": the deadline's timeout must read as the deadline");
                assertEquals(408, e.status());
            }
        }
    }
}
