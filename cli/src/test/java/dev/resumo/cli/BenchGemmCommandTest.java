package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchGemmCommandTest {
    @Test
    void reportsOneShapeWithoutNumpy() {
        CliRun r = run("bench", "gemm", "--threads", "1", "--repeats", "2", "--no-numpy", "--shapes", "48x40x72:TN");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("FMA peak (1 threads"), r.out());
        assertTrue(r.out().matches("(?s).*48x40x72\\s+Aᵀ·B\\s+\\d+\\.\\d.*"), r.out());
        assertTrue(!r.out().contains("512x512x32128"), "only the requested shape: " + r.out());
    }

    @Test
    void badFlagsAreOneLineUserErrors() {
        // The shared FlagValues wording: "99999999999" is a whole number, just too large (it once said "not a whole number").
        assertError(run("bench", "gemm", "--threads", "0", "--no-numpy"), "--threads: must be ≥ 1, got 0");
        assertError(run("bench", "gemm", "--repeats", "x", "--no-numpy"), "--repeats: expected an integer, got 'x'");
        assertError(run("bench", "gemm", "--repeats", "99999999999", "--no-numpy"), "--repeats: '99999999999' is too large");
        assertError(run("bench", "gemm", "--threads", "99999999999", "--no-numpy"), "--threads: '99999999999' is too large");
        assertError(run("bench", "gemm", "--shapes", "12x12", "--no-numpy"), "--shapes: shape '12x12' is not M×K×N");
        assertError(run("bench", "gemm", "--shapes", "8x8x8:QQ", "--no-numpy"), "layout must be NN, NT, TN or TT");
    }

    private static void assertError(CliRun r, String part) {
        assertEquals(2, r.code());
        assertTrue(r.err().contains(part), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }
}
