package dev.resumo.t5;

import dev.resumo.engine.opencl.GemmParams;
import dev.resumo.engine.opencl.OpenClBackend;
import dev.resumo.engine.opencl.OpenClDevices;
import dev.resumo.engine.opencl.OpenClRuntime;
import dev.resumo.engine.opencl.OpenClUnavailableException;
import org.junit.jupiter.api.Assumptions;

/**
 * The OpenCL backend the t5 tests run on: the same device as the engine's OpenCL tests (the first
 * GPU, else PoCL; RESUMO_OPENCL_TEST_DEVICE=opencl:P:D overrides) with fixed GEMM tiles, or the
 * test is skipped with the reason when there is no OpenCL device.
 */
public final class OpenClTestDevice {
    private OpenClTestDevice() {}

    public static OpenClBackend backendOrSkip() {
        String reason;
        try {
            if (!OpenClDevices.list().isEmpty()) {
                String env = System.getenv("RESUMO_OPENCL_TEST_DEVICE");
                String selector = OpenClDevices.select(env == null || env.isBlank() ? "opencl" : env.trim()).selector();
                return new OpenClBackend(OpenClRuntime.forDevice(selector), new GemmParams(32, 32, 16, 2, 2));
            }
            reason = "no OpenCL device (install pocl-opencl-icd and ocl-icd-opencl-dev)";
        } catch (OpenClUnavailableException e) {
            reason = e.getMessage();
        }
        Assumptions.abort("SKIPPED: OpenCL unavailable: " + reason);
        return null;
    }
}
