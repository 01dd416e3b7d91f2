package dev.resumo.bench;

import dev.resumo.engine.io.Dtype;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Model-load memory: writes random weights of a named shape once (through {@link T5Checkpoint#save}),
 * then loads them in a fresh JVM ({@link LoadProbe}) and reports load time and resident memory
 * against the ideal — the parameters as float32, which is what the model holds.
 */
public final class LoadBenchmark {
    /** What to measure: shape name, storage dtype of the file, and how many fresh-JVM loads. */
    public record Settings(String shape, Dtype dtype, int repeats) {}

    private LoadBenchmark() {}

    public static void run(Settings s, PrintStream out) throws IOException, InterruptedException {
        T5Config config = T5Shapes.config(s.shape());
        long params = T5Shapes.parameterCount(config);
        Path dir = Files.createTempDirectory("resumo-bench-load-");
        try {
            long w0 = System.nanoTime();
            T5Checkpoint.save(T5Init.random(config, new Random(1)), dir, s.dtype());
            long fileBytes = Files.size(dir.resolve(T5Checkpoint.WEIGHTS));
            out.printf("shape %s: %,d parameters; wrote %s (%s, %s) in %.1f s%n", s.shape(), params,
                    T5Checkpoint.WEIGHTS, s.dtype(), ProcessMemory.mib(fileBytes), (System.nanoTime() - w0) / 1e9);
            out.printf("ideal resident weights (float32 in memory): %s%n", ProcessMemory.mib(params * 4));
            for (int i = 1; i <= s.repeats(); i++) {
                Map<String, String> r = probe(dir);
                long base = Long.parseLong(r.get("rss_before"));
                long rss = Long.parseLong(r.get("rss"));
                long hwm = Long.parseLong(r.get("hwm"));
                out.printf("load %d (fresh JVM): %s s; VmRSS %s (JVM before load %s, so +%s), VmHWM %s (+%s);"
                                + " RssAnon %s, RssFile %s; growth / ideal = %.2f, peak growth / ideal = %.2f%n",
                        i, r.get("seconds"), ProcessMemory.mib(rss), ProcessMemory.mib(base), ProcessMemory.mib(rss - base),
                        ProcessMemory.mib(hwm), ProcessMemory.mib(hwm - base), ProcessMemory.mib(Long.parseLong(r.get("rss_anon"))),
                        ProcessMemory.mib(Long.parseLong(r.get("rss_file"))),
                        (rss - base) / (params * 4.0), (hwm - base) / (params * 4.0));
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Runs {@link LoadProbe} in a child JVM with this JVM's flags and class path; returns its key=value figures. */
    static Map<String, String> probe(Path modelDir) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadProbe.class.getName(), modelDir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String result = null;
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(LoadProbe.RESULT_PREFIX)) result = line.substring(LoadProbe.RESULT_PREFIX.length());
                else log.append(line).append('\n');
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || result == null) throw new IOException("load probe failed (exit " + rc + "):\n" + log);
        Map<String, String> figures = new HashMap<>();
        for (String word : result.trim().split(" ")) {
            int eq = word.indexOf('=');
            figures.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return figures;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
