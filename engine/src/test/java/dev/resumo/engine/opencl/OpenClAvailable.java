package dev.resumo.engine.opencl;

import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Finds the OpenCL device tests run on, or skips them with the reason (no library, no device). */
public final class OpenClAvailable {
    private static String reason;
    private static OpenClBackend backend;

    private OpenClAvailable() {}

    /**
     * The backend of the first listed device (CI: PoCL's CPU device) with fixed mid-size GEMM
     * tiles, so tests do not depend on a tuning cache; skips the test when OpenCL is unavailable.
     */
    public static synchronized OpenClBackend backend() {
        if (backend == null && reason == null) {
            try {
                List<DeviceInfo> devices = OpenClDevices.list();
                if (devices.isEmpty()) {
                    reason = "no OpenCL device (install pocl-opencl-icd and ocl-icd-opencl-dev)";
                } else {
                    OpenClRuntime rt = OpenClRuntime.forDevice(devices.get(0).selector());
                    backend = new OpenClBackend(rt, new GemmParams(32, 32, 16, 2, 2));
                    System.out.println("OpenCL tests on " + devices.get(0).describe());
                }
            } catch (OpenClUnavailableException e) {
                reason = e.getMessage();
            }
        }
        Assumptions.assumeTrue(backend != null, () -> "SKIPPED: OpenCL unavailable: " + reason);
        return backend;
    }
}
