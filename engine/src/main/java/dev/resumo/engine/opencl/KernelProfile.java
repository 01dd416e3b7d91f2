package dev.resumo.engine.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;
import org.jocl.cl_kernel;

/**
 * Device time per kernel, from OpenCL's profiling events ({@code -Dresumo.opencl.profile=true}):
 * where a step's time goes on a GPU, and whether it is bound by the kernels or by the launches
 * (kernel time well below the wall time means the host cannot feed the queue fast enough).
 * Events are read when the queue drains, so profiling adds one event per launch and nothing else.
 */
final class KernelProfile {
    /** On when the system property is set; the queue must then be created with profiling enabled. */
    static final boolean ENABLED = Boolean.getBoolean("resumo.opencl.profile");

    private record Pending(String kernel, cl_event event) {}

    private static final class Totals {
        long launches;
        long nanos;
    }

    private final List<Pending> pending = new ArrayList<>();
    private final Map<cl_kernel, String> names = new HashMap<>();
    private final Map<String, Totals> totals = new HashMap<>();
    private final long startNanos = System.nanoTime();

    /** A new event for a launch of {@code k}, counted under {@code label} or else the kernel's name. */
    cl_event track(cl_kernel k, String label) {
        cl_event e = new cl_event();
        pending.add(new Pending(label != null ? label : names.computeIfAbsent(k, KernelProfile::name), e));
        return e;
    }

    /** Reads and frees the events of launches that have completed (call after clFinish). */
    void collect() {
        long[] t = new long[1];
        for (Pending p : pending) {
            clGetEventProfilingInfo(p.event, CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(t), null);
            long start = t[0];
            clGetEventProfilingInfo(p.event, CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(t), null);
            Totals s = totals.computeIfAbsent(p.kernel, n -> new Totals());
            s.launches++;
            s.nanos += t[0] - start;
            clReleaseEvent(p.event);
        }
        pending.clear();
    }

    /** The kernels by total device time, with their share of the wall time since profiling began. */
    String report(String device) {
        double wallMs = (System.nanoTime() - startNanos) / 1e6;
        long launches = 0, nanos = 0;
        for (Totals s : totals.values()) {
            launches += s.launches;
            nanos += s.nanos;
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "OpenCL kernel profile, %s: %d launches, %.1f ms of kernel time in %.1f ms of wall time (%.0f%%)%n",
                device, launches, nanos / 1e6, wallMs, 100 * nanos / 1e6 / wallMs));
        out.append(String.format(Locale.ROOT, "%-40s %9s %11s %9s %7s%n", "kernel", "launches", "total ms", "mean µs", "share"));
        long all = nanos;
        totals.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().nanos, a.getValue().nanos)).forEach(e ->
                out.append(String.format(Locale.ROOT, "%-40s %9d %11.2f %9.1f %6.1f%%%n", e.getKey(), e.getValue().launches,
                        e.getValue().nanos / 1e6, e.getValue().nanos / 1e3 / e.getValue().launches,
                        100.0 * e.getValue().nanos / Math.max(1, all))));
        return out.toString();
    }

    private static String name(cl_kernel k) {
        long[] size = new long[1];
        clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, bytes.length, Pointer.to(bytes), null);
        int n = bytes.length;
        while (n > 0 && bytes[n - 1] == 0) n--;
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
