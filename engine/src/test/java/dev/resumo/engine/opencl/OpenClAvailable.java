package dev.resumo.engine.opencl;

import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Finds the OpenCL device tests run on, or skips them with the reason (no library, no device). */
public final class OpenClAvailable {
    private static String reason;
    private static OpenClBackend backend;

    private OpenClAvailable() {}

    /**
     * The backend of the device {@link #spec()} names (CI: PoCL's CPU device) with fixed mid-size
     * GEMM tiles, so tests do not depend on a tuning cache; skips the test when OpenCL is unavailable.
     */
    public static synchronized OpenClBackend backend() {
        if (backend == null && reason == null) {
            try {
                List<DeviceInfo> devices = OpenClDevices.list();
                if (devices.isEmpty()) {
                    reason = "no OpenCL device (install pocl-opencl-icd and ocl-icd-opencl-dev)";
                } else {
                    DeviceInfo device = OpenClDevices.select(spec());
                    OpenClRuntime rt = OpenClRuntime.forDevice(device.selector());
                    backend = new OpenClBackend(rt, new GemmParams(32, 32, 16, 2, 2));
                    System.out.println("OpenCL tests on " + device.describe());
                }
            } catch (OpenClUnavailableException e) {
                reason = e.getMessage();
            }
        }
        Assumptions.assumeTrue(backend != null, () -> "SKIPPED: OpenCL unavailable: " + reason);
        return backend;
    }

    /**
     * The device the OpenCL tests run on: RESUMO_OPENCL_TEST_DEVICE (opencl:P:D) if set, else what
     * `--device opencl` picks — the first GPU, else the first device. On a machine with both PoCL
     * and a GPU driver (the lent H200 had both) the tests then exercise the GPU, not PoCL.
     */
    public static String spec() {
        String env = System.getenv("RESUMO_OPENCL_TEST_DEVICE");
        return env == null || env.isBlank() ? "opencl" : env.trim();
    }
}
