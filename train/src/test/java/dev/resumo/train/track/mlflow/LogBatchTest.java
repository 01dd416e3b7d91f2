package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;

/** Log-batch calls stay within MLflow's REST limits (1000 metrics / 100 params / 100 tags / 1000 in all) and keep order. */
class LogBatchTest {
    @Test
    void splitsWithinTheLimitsKeepingEveryEntityInOrder() {
        List<Metric> metrics = new ArrayList<>();
        for (int i = 0; i < 2345; i++) metrics.add(Metric.newBuilder().setKey("loss").setStep(i).setValue(i).build());
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < 250; i++) params.add(Param.newBuilder().setKey("p" + i).setValue("v").build());
        List<RunTag> tags = new ArrayList<>();
        for (int i = 0; i < 130; i++) tags.add(RunTag.newBuilder().setKey("t" + i).setValue("v").build());

        List<LogBatch> batches = LogBatch.split(metrics, params, tags);

        List<Metric> m = new ArrayList<>();
        List<Param> p = new ArrayList<>();
        List<RunTag> t = new ArrayList<>();
        for (LogBatch b : batches) {
            assertTrue(b.metrics().size() <= 1000 && b.params().size() <= 100 && b.tags().size() <= 100 && b.size() <= 1000,
                    "batch of " + b.metrics().size() + "/" + b.params().size() + "/" + b.tags().size());
            assertTrue(b.size() > 0, "no empty calls");
            m.addAll(b.metrics());
            p.addAll(b.params());
            t.addAll(b.tags());
        }
        assertEquals(metrics, m);
        assertEquals(params, p);
        assertEquals(tags, t);
        // 2345 metrics with 100 params + 100 tags in the first calls: 800 + 900 + 645 → 3 calls at least; params need 3.
        assertEquals(3, batches.size());
    }

    @Test
    void nothingToSendMakesNoCall() {
        assertEquals(0, LogBatch.split(List.of(), List.of(), List.of()).size());
    }
}
