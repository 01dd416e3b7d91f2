package dev.resumo.cli;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.PipelineRunner;
import org.joda.time.Duration;

/**
 * A runner that runs nothing and reports the job ended in {@link #state} (null: it stopped
 * waiting), as Dataflow reports a job whose workers failed: a state from waitUntilFinish, no
 * exception, no metrics. Public with {@code fromOptions}: Beam builds runners by reflection.
 */
public final class EndsInStateRunner extends PipelineRunner<PipelineResult> {
    static volatile PipelineResult.State state = PipelineResult.State.FAILED;

    public static EndsInStateRunner fromOptions(PipelineOptions options) {
        return new EndsInStateRunner();
    }

    @Override
    public PipelineResult run(Pipeline pipeline) {
        PipelineResult.State ended = state;
        return new PipelineResult() {
            @Override
            public State getState() {
                return ended;
            }

            @Override
            public State cancel() {
                return ended;
            }

            @Override
            public State waitUntilFinish(Duration duration) {
                return ended;
            }

            @Override
            public State waitUntilFinish() {
                return ended;
            }

            @Override
            public MetricResults metrics() {
                throw new UnsupportedOperationException("no metrics from this runner");
            }
        };
    }
}
