package dev.resumo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Resident-memory figures of this process from {@code /proc/self/status} (Linux), in bytes. */
public record ProcessMemory(long vmRss, long vmHwm, long rssAnon, long rssFile) {
    private static final Path STATUS = Path.of("/proc/self/status");

    /** Reads them now; every figure is -1 where the kernel does not report it (not Linux). */
    public static ProcessMemory now() {
        Map<String, Long> kb = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(STATUS)) {
                int colon = line.indexOf(':');
                if (colon < 0 || !line.endsWith(" kB")) continue;
                String value = line.substring(colon + 1, line.length() - 3).trim();
                kb.put(line.substring(0, colon), Long.parseLong(value));
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or an unexpected format: figures stay unknown (-1)
        }
        return new ProcessMemory(bytes(kb, "VmRSS"), bytes(kb, "VmHWM"), bytes(kb, "RssAnon"), bytes(kb, "RssFile"));
    }

    private static long bytes(Map<String, Long> kb, String key) {
        Long v = kb.get(key);
        return v == null ? -1 : v * 1024;
    }

    /** Bytes as MiB with one decimal, or "n/a". */
    public static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
