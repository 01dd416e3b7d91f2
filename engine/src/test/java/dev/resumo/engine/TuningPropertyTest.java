package dev.resumo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TuningPropertyTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream warnings = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String said() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aValueInRangeIsUsedAndAnUnsetOneIsTheDefault() {
        assertEquals(42, TuningProperty.parse("resumo.x", " 42 ", 7, 1, 100, warnings));
        assertEquals(7, TuningProperty.parse("resumo.x", null, 7, 1, 100, warnings));
        assertEquals("", said(), "nothing to say about a usable or absent value");
    }

    @Test
    void aValueThatIsNoNumberIsNamedAndTheDefaultUsed() {
        assertEquals(1L << 30, TuningProperty.parse("resumo.opencl.poolBytes", "1g", 1L << 30, 0, Long.MAX_VALUE, warnings));
        String said = said();
        assertTrue(said.contains("-Dresumo.opencl.poolBytes=1g"), said);
        assertTrue(said.contains("using 1073741824"), said);
    }

    @Test
    void aValueOutOfRangeIsNamedAndTheDefaultUsed() {
        assertEquals(256, TuningProperty.parse("resumo.gemm.kc", "0", 256, 1, 65536, warnings));
        assertEquals(256, TuningProperty.parse("resumo.gemm.kc", "99999999999999999999", 256, 1, 65536, warnings));
        String said = said();
        assertTrue(said.contains("-Dresumo.gemm.kc=0: it must be a whole number from 1 to 65536; using 256"), said);
        assertEquals(2, said.lines().count(), said);
    }
}
