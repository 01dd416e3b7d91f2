package dev.resumo.train.track.mlflow;

import java.util.ArrayList;
import java.util.List;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;

/** One log-batch call's worth of entities, within the server's per-call limits. */
record LogBatch(List<Metric> metrics, List<Param> params, List<RunTag> tags) {

    /**
     * Splits entities into calls of at most 1000 metrics, 100 params and 100 tags (1000 in all),
     * keeping their order: metrics of one key reach the server in step order.
     */
    static List<LogBatch> split(List<Metric> metrics, List<Param> params, List<RunTag> tags) {
        List<LogBatch> out = new ArrayList<>();
        int m = 0, p = 0, t = 0;
        while (m < metrics.size() || p < params.size() || t < tags.size()) {
            int np = Math.min(MlflowLimits.PARAMS_PER_BATCH, params.size() - p);
            int nt = Math.min(MlflowLimits.TAGS_PER_BATCH, tags.size() - t);
            int room = MlflowLimits.ENTITIES_PER_BATCH - np - nt;
            int nm = Math.min(Math.min(MlflowLimits.METRICS_PER_BATCH, room), metrics.size() - m);
            out.add(new LogBatch(List.copyOf(metrics.subList(m, m + nm)), List.copyOf(params.subList(p, p + np)),
                    List.copyOf(tags.subList(t, t + nt))));
            m += nm;
            p += np;
            t += nt;
        }
        return out;
    }

    int size() {
        return metrics.size() + params.size() + tags.size();
    }
}
