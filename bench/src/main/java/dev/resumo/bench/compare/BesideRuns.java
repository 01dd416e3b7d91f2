package dev.resumo.bench.compare;

/**
 * What {@link T5Workloads} lets run beside its timed runs of a workload: `bench compare --paired`
 * runs one PyTorch run (and one CTranslate2 run) just before each Resumo run (see {@link PairedSide}). Called on the
 * benchmark's thread; Resumo's side is idle (its pool parks after 0.5 ms: 50 µs spinning, then yielding) while these run.
 */
public interface BesideRuns {
    /** Nothing beside: the workloads timed alone. */
    BesideRuns NONE = new BesideRuns() {};

    /** {@code first}'s calls, then {@code second}'s: first's run i, second's run i, then Resumo's run i. */
    static BesideRuns inTurn(BesideRuns first, BesideRuns second) {
        return new BesideRuns() {
            @Override
            public void prepare(String workload) {
                first.prepare(workload);
                second.prepare(workload);
            }

            @Override
            public void beforeRun(String workload, int run) {
                first.beforeRun(workload, run);
                second.beforeRun(workload, run);
            }

            @Override
            public void afterRun(String workload, int run, double resumoSeconds) {
                first.afterRun(workload, run, resumoSeconds);
                second.afterRun(workload, run, resumoSeconds);
            }

            @Override
            public void finish(String workload) {
                first.finish(workload);
                second.finish(workload);
            }
        };
    }

    /** Before Resumo's warm-up runs of {@code workload}. */
    default void prepare(String workload) {}

    /** Just before Resumo's timed run {@code run} (0-based). */
    default void beforeRun(String workload, int run) {}

    /** Just after Resumo's timed run {@code run}, which took {@code resumoSeconds}. */
    default void afterRun(String workload, int run, double resumoSeconds) {}

    /** After Resumo's last timed run of {@code workload}. */
    default void finish(String workload) {}
}
