package dev.resumo.engine.backend;

import dev.resumo.engine.opencl.OpenClBackend;
import dev.resumo.engine.opencl.OpenClUnavailableException;
import java.io.PrintStream;

/**
 * Turns a --device value into a backend: "cpu" (null: host tensors, the CPU kernels),
 * "opencl" / "opencl:P:D" (that OpenCL device; an error when OpenCL or the device is missing) or
 * "auto" (the first OpenCL device, else the CPU with a message saying why).
 */
public final class DeviceSelector {
    public static final String HELP = "cpu, opencl (first GPU, else first OpenCL device), opencl:PLATFORM:DEVICE "
            + "(see `resumo devices`) or auto (OpenCL when available, else cpu)";

    private DeviceSelector() {}

    /** The backend for spec, or null for the CPU. IllegalArgumentException names what was wrong. */
    public static Backend select(String spec, PrintStream log) {
        String s = spec == null ? "cpu" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) return null;
        if (s.equals("auto")) {
            try {
                OpenClBackend be = OpenClBackend.open("opencl", log);
                log.println("device: " + be.name());
                return be;
            } catch (OpenClUnavailableException e) {
                log.println("device: auto chose the CPU: " + e.getMessage());
                return null;
            }
        }
        if (s.equals("opencl") || s.startsWith("opencl:")) {
            try {
                OpenClBackend be = OpenClBackend.open(s, log);
                log.println("device: " + be.name());
                return be;
            } catch (OpenClUnavailableException e) {
                throw new IllegalArgumentException("'" + spec + "': " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("'" + spec + "' is not one of " + HELP);
    }
}
