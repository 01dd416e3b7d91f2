package dev.resumo.train.track.mlflow;

/**
 * The tracking server's limits (mlflow/utils/validation.py, MLflow 2.17): a log-batch call carries at
 * most 1000 metrics, 100 params and 100 tags, 1000 entities in all; longer values are refused.
 */
final class MlflowLimits {
    private MlflowLimits() {}

    static final int METRICS_PER_BATCH = 1000;
    static final int PARAMS_PER_BATCH = 100;
    static final int TAGS_PER_BATCH = 100;
    static final int ENTITIES_PER_BATCH = 1000;
    static final int PARAM_VALUE_LENGTH = 6000;
    static final int TAG_VALUE_LENGTH = 8000;
    static final int KEY_LENGTH = 250;
    static final int REGISTRY_TAG_VALUE_LENGTH = 5000;
    /** In characters (code points, Python's len): "'name' exceeds the maximum length of 500 characters". */
    static final int EXPERIMENT_NAME_LENGTH = 500;

    /** Appended to a value cut to fit; the whole value is in the config.json artifact. */
    static final String TRUNCATED = "...[truncated; full value in the config.json artifact]";

    /** The value, or its start plus {@link #TRUNCATED} so that the whole fits in limit characters. */
    static String fit(String value, int limit) {
        if (value.length() <= limit) return value;
        int keep = limit - TRUNCATED.length();
        // Do not split a surrogate pair: the server would get half a character.
        if (keep > 0 && Character.isHighSurrogate(value.charAt(keep - 1))) keep--;
        return value.substring(0, keep) + TRUNCATED;
    }
}
