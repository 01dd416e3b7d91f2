package dev.resumo.bench.compare;

/**
 * What {@link T5Workloads} lets run beside its timed runs of a workload: `bench compare --paired`
 * runs one PyTorch run just before each Resumo run (see {@link PairedTorch}). Called on the
 * benchmark's thread; Resumo's side is idle (its pool parks after 50 µs) while these run.
 */
public interface BesideRuns {
    /** Nothing beside: the workloads timed alone. */
    BesideRuns NONE = new BesideRuns() {};

    /** Before Resumo's warm-up runs of {@code workload}. */
    default void prepare(String workload) {}

    /** Just before Resumo's timed run {@code run} (0-based). */
    default void beforeRun(String workload, int run) {}

    /** Just after Resumo's timed run {@code run}, which took {@code resumoSeconds}. */
    default void afterRun(String workload, int run, double resumoSeconds) {}

    /** After Resumo's last timed run of {@code workload}. */
    default void finish(String workload) {}
}
