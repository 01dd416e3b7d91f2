package dev.resumo.train.track.mlflow;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resolved configuration as MLflow params: nested maps become dotted keys (optimizer.beta1),
 * lists and scalars their text, null "null"; values over the server's length limit are cut with a
 * marker (the whole configuration goes up as the config.json artifact).
 */
final class ParamFlattener {
    private ParamFlattener() {}

    static Map<String, String> flatten(Map<String, ?> config) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", config, out);
        return out;
    }

    private static void flatten(String prefix, Map<String, ?> map, Map<String, String> out) {
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()) {
                Map<String, Object> typed = new LinkedHashMap<>();
                nested.forEach((k, v) -> typed.put(String.valueOf(k), v));
                flatten(key + ".", typed, out);
            } else {
                out.put(key, MlflowLimits.fit(text(e.getValue()), MlflowLimits.PARAM_VALUE_LENGTH));
            }
        }
    }

    private static String text(Object value) {
        if (value == null) return "null";
        if (value instanceof Collection<?> c) return c.toString();
        return value.toString();
    }
}
