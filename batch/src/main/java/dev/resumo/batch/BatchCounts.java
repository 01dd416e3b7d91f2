package dev.resumo.batch;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * What a run did, counted with Beam metrics so that every runner reports it back to the launcher:
 * rows read (non-blank lines, Parquet rows), rows summarized, rows sent to the dead letters.
 *
 * @param known false when the runner reported no metrics (the counts are then 0 and mean nothing)
 */
public record BatchCounts(boolean known, long rows, long summarized, long deadLetters) {
    private static final String NAMESPACE = "resumo-batch";
    static final Counter ROWS = Metrics.counter(NAMESPACE, "rows");
    static final Counter SUMMARIZED = Metrics.counter(NAMESPACE, "summarized");
    static final Counter DEAD_LETTERS = Metrics.counter(NAMESPACE, "deadLetters");

    /** The counts of a finished run. */
    public static BatchCounts of(PipelineResult result) {
        MetricQueryResults q;
        try {
            q = result.metrics().queryMetrics(MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(NAMESPACE)).build());
        } catch (UnsupportedOperationException e) {
            return new BatchCounts(false, 0, 0, 0);
        }
        long rows = 0, summarized = 0, dead = 0;
        boolean any = false;
        for (MetricResult<Long> c : q.getCounters()) {
            long v = value(c);
            any = true;
            switch (c.getName().getName()) {
                case "rows" -> rows += v;
                case "summarized" -> summarized += v;
                case "deadLetters" -> dead += v;
                default -> { }
            }
        }
        // A run over an empty input never touches a counter: the DoFns saw nothing, which is known.
        return new BatchCounts(true, rows, summarized, dead);
    }

    private static long value(MetricResult<Long> c) {
        try {
            Long committed = c.getCommitted();
            return committed == null ? c.getAttempted() : committed;
        } catch (UnsupportedOperationException notCommitted) {
            return c.getAttempted();
        }
    }
}
