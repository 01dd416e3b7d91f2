package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --tracking-uri host:port, the commonest slip, is refused with the address to write instead. */
class TrackingUriWithoutSchemeTest {
    @TempDir Path tmp;

    @Test
    void hostAndPortAloneGetTheHttpAddressToUse() {
        for (String address : new String[] {"127.0.0.1:5000", "localhost:5000"}) {
            Path run = tmp.resolve("run-" + address.replace(':', '-'));
            CliRun r = CliRun.run("demo", "--output-dir", run.toString(), "--tracking-uri", address);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--tracking-uri '" + address + "' has no scheme; write http://" + address), r.err());
            assertFalse(Files.exists(run.resolve("model")), "nothing trained");
        }
    }

    @Test
    void otherSchemesKeepTheirOwnMessageWithoutAWrongHint() {
        for (String address : new String[] {"file:/tmp/mlruns", "databricks"}) {
            CliRun r = CliRun.run("demo", "--output-dir", tmp.resolve("run").toString(), "--tracking-uri", address);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("must be an http:// or https:// address"), r.err());
            assertFalse(r.err().contains("write http://"), r.err());
        }
    }
}
