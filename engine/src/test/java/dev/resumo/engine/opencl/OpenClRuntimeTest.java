package dev.resumo.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Program cache, build-error reporting, device selection errors and the GEMM tuning cache. */
@Tag("opencl")
class OpenClRuntimeTest {
    @Test
    void kernelsAreBuiltOncePerDeviceAndOptions() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        assertSame(rt.kernel("elementwise.cl", "scale", ""), rt.kernel("elementwise.cl", "scale", ""), "cached kernel");
        assertSame(rt, OpenClRuntime.forDevice(rt.info().selector()), "one runtime per device");
    }

    @Test
    void buildErrorNamesTheKernelFileAndCarriesTheCompilerLog() {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        KernelBuildException e = assertThrows(KernelBuildException.class,
                () -> rt.kernel("broken_for_test.cl", "broken", ""));
        assertTrue(e.getMessage().contains("broken_for_test.cl"), e.getMessage());
        assertTrue(e.getMessage().contains("undeclared_variable"), "compiler log in the message: " + e.getMessage());
    }

    @Test
    void unknownDevicesAreClearErrors() {
        OpenClAvailable.backend();
        assertTrue(assertThrows(OpenClUnavailableException.class, () -> OpenClDevices.select("opencl:9:9"))
                .getMessage().contains("does not exist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpenClDevices.select("opencl:x"))
                .getMessage().contains("opencl:PLATFORM:DEVICE"));
    }

    @Test
    void tuningResultIsReadFromThePerDeviceCache(@TempDir Path home) throws Exception {
        OpenClRuntime rt = OpenClAvailable.backend().runtime();
        String saved = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            Path cache = GemmTuning.cacheFile(rt.info());
            assertTrue(cache.startsWith(home));
            Files.createDirectories(cache.getParent());
            Files.writeString(cache, "32,32,16,2,2\n");
            assertEquals(new GemmParams(32, 32, 16, 2, 2), GemmTuning.paramsFor(rt, System.out));
        } finally {
            System.setProperty("user.home", saved);
        }
    }

    @Test
    void gemmParamsRoundTripAndValidate() {
        for (GemmParams p : GemmParams.CANDIDATES) assertEquals(p, GemmParams.decode(p.encode()));
        assertThrows(IllegalArgumentException.class, () -> new GemmParams(30, 32, 16, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> GemmParams.decode("1,2,3"));
    }
}
