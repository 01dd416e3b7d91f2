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

    /** "opencl" or "opencl:P:D" with ASCII digits. */
    private static final java.util.regex.Pattern OPENCL_SPEC = java.util.regex.Pattern.compile("opencl(:[0-9]{1,9}:[0-9]{1,9})?");

    private DeviceSelector() {}

    /**
     * The error starting with the quoted spec, once: the OpenCL layer's messages may already begin
     * with "device 'SPEC'", and callers put "--device " in front.
     */
    private static String naming(String spec, String normalized, String message) {
        String repeated = "device '" + normalized + "'";
        if (message.startsWith(repeated)) return "'" + spec + "'" + message.substring(repeated.length());
        return "'" + spec + "': " + message;
    }

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
            // Checked here, before OpenCL loads: the same answer whether or not this machine has OpenCL.
            if (!OPENCL_SPEC.matcher(s).matches()) {
                throw new IllegalArgumentException("'" + spec + "' is not opencl or opencl:PLATFORM:DEVICE (e.g. opencl:0:0)");
            }
            try {
                OpenClBackend be = OpenClBackend.open(s, log);
                log.println("device: " + be.name());
                return be;
            } catch (OpenClUnavailableException e) {
                throw new IllegalArgumentException(naming(spec, s, e.getMessage()), e);
            }
        }
        throw new IllegalArgumentException("'" + spec + "' is not one of " + HELP);
    }
}
