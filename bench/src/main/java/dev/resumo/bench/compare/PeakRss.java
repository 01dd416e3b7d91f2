package dev.resumo.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident set of this process (VmHWM), reset before each workload by writing 5 to
 * /proc/self/clear_refs, so each workload reports its own peak (the same way the PyTorch side does).
 */
public final class PeakRss {
    private PeakRss() {}

    /** Resets the peak to the current resident set; false where /proc does not allow it. */
    public static boolean reset() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** VmHWM in MiB, or -1 when /proc/self/status is not readable (not Linux). */
    public static double mib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
