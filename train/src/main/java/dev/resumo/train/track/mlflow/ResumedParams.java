package dev.resumo.train.track.mlflow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;

/**
 * The params of a resumed training against those its MLflow run already has: MLflow refuses to
 * change a logged param, so only new keys are logged and the changed ones are described.
 *
 * @param added keys the run does not have yet
 * @param changed key → {old value, new value}
 */
record ResumedParams(Map<String, String> added, Map<String, String[]> changed) {
    static final String TAG = "resumo.resume.changed_params";

    static ResumedParams of(Run previous, Map<String, String> params) {
        Map<String, String> logged = new LinkedHashMap<>();
        for (Param p : previous.getData().getParamsList()) logged.put(p.getKey(), p.getValue());
        Map<String, String> added = new LinkedHashMap<>();
        Map<String, String[]> changed = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            String old = logged.get(k);
            if (old == null) added.put(k, v);
            else if (!old.equals(v)) changed.put(k, new String[] {old, v});
        });
        return new ResumedParams(added, changed);
    }

    /** e.g. "max-steps: 30 → 60, resume: null → auto". */
    String describeChanged() {
        StringJoiner j = new StringJoiner(", ");
        changed.forEach((k, v) -> j.add(k + ": " + v[0] + " → " + v[1]));
        return j.toString();
    }
}
