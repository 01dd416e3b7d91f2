package dev.resumo.bench;

import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import java.lang.ref.Reference;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link LoadBenchmark}: loads one model directory through the normal T5
 * loader and prints, as {@code key=value} words on one line, the load time and this process's
 * resident memory before and after (so nothing else the benchmark did is counted).
 */
public final class LoadProbe {
    static final String RESULT_PREFIX = "load-probe:";

    private LoadProbe() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: LoadProbe MODEL_DIR");
            System.exit(2);
        }
        ProcessMemory before = ProcessMemory.now();
        long t0 = System.nanoTime();
        T5Model model = T5Checkpoint.load(Path.of(args[0]));
        long t1 = System.nanoTime();
        ProcessMemory after = ProcessMemory.now();
        System.out.printf("%s seconds=%.3f rss_before=%d hwm_before=%d rss=%d hwm=%d rss_anon=%d rss_file=%d params=%d%n",
                RESULT_PREFIX, (t1 - t0) / 1e9, before.vmRss(), before.vmHwm(), after.vmRss(), after.vmHwm(),
                after.rssAnon(), after.rssFile(), model.parameters().values().stream().mapToLong(t -> t.size()).sum());
        Reference.reachabilityFence(model);
    }
}
