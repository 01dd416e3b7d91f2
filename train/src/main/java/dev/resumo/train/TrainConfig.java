package dev.resumo.train;

import dev.resumo.t5.SequenceLimits;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.train.track.mlflow.MlflowSettings;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every setting of a training run, resolved: defaults, then a --config JSON file, then flags.
 * Validated on construction; each error names the flag. The map form ({@link #toMap}) uses the flag
 * names as keys and is what config.json and every checkpoint hold.
 *
 * <p>Generation settings (num-beams ... no-repeat-ngram-size) are the ones `resumo summarize`
 * takes; they drive the summaries generated for ROUGE at evaluation time.
 */
public record TrainConfig(
        String model,
        String tokenizer,
        String dataset,
        String textColumn,
        String summaryColumn,
        String experimentName,
        String outputDir,
        String prefix,
        int maxSourceLength,
        int maxTargetLength,
        int epochs,
        long maxSteps,
        int batchSize,
        int evalBatchSize,
        int gradAccum,
        double lr,
        String optimizer,
        String schedule,
        long warmupSteps,
        double maxGradNorm,
        double weightDecay,
        double labelSmoothing,
        boolean gradientCheckpointing,
        long evalSteps,
        long saveSteps,
        long logSteps,
        long seed,
        int threads,
        boolean strict,
        String resume,
        int patience,
        String bestMetric,
        int keepCheckpoints,
        String tracker,
        int evalMaxExamples,
        int numBeams,
        int maxNewTokens,
        double lengthPenalty,
        int noRepeatNgramSize,
        String trackingUri,
        String runName,
        String registerModel) {

    /**
     * Most --threads accepted: each is a platform thread of the compute pool, and tens of thousands
     * exhaust native memory ("unable to create native thread") after seconds of creating them. A fixed
     * 256 (or the core count on a larger machine) keeps a --config file valid from one machine to the
     * next, while being far past where more threads than cores stop helping the CPU kernels.
     */
    public static final int MAX_THREADS = Math.max(256, Runtime.getRuntime().availableProcessors());
    public static final Set<String> OPTIMIZERS = Set.of("adafactor", "adamw");
    public static final Set<String> SCHEDULES = Set.of("constant", "linear", "cosine", "inverse-sqrt");
    public static final Set<String> TRACKERS = Set.of("none", "local");
    /** Metrics a checkpoint can be chosen by; eval_loss is minimised, the ROUGE scores maximised. */
    public static final List<String> BEST_METRICS = List.of("eval_loss", "rouge1", "rouge2", "rougeL", "rougeLsum");

    public TrainConfig {
        positive("max-source-length", maxSourceLength);
        positive("max-target-length", maxTargetLength);
        // The sequence ceiling every other path checks (attention's [batch, heads, S, S] arithmetic):
        // here at start, not as a negative array size in the first step.
        atMost("max-source-length", maxSourceLength, SequenceLimits.MAX_SEQUENCE_LENGTH);
        atMost("max-target-length", maxTargetLength, SequenceLimits.MAX_SEQUENCE_LENGTH);
        positive("epochs", epochs);
        if (maxSteps < 0) throw new ConfigException("--max-steps must be ≥ 0 (0 = run all epochs), got " + maxSteps);
        positive("batch-size", batchSize);
        positive("eval-batch-size", evalBatchSize);
        positive("grad-accum", gradAccum);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new ConfigException("--lr must be a positive number, got " + lr);
        oneOf("optimizer", optimizer, OPTIMIZERS);
        oneOf("schedule", schedule, SCHEDULES);
        nonNegative("warmup-steps", warmupSteps);
        // "a finite number": Infinity is ≥ 0, so "must be ≥ 0, got Infinity" read as a contradiction.
        if (!(maxGradNorm >= 0) || !Double.isFinite(maxGradNorm)) {
            throw new ConfigException("--max-grad-norm must be a finite number ≥ 0 (0 = no clipping), got " + maxGradNorm);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new ConfigException("--weight-decay must be a finite number ≥ 0, got " + weightDecay);
        }
        // Both optimizers multiply each parameter by 1 - lr·weight decay every step (the schedule's
        // lr is at most --lr): at 1 or more that zeroes or flips every weight, and the run wrecks the
        // model without an error (--weight-decay 1e9 was accepted; torch and transformers check nothing).
        if (lr * weightDecay >= 1) {
            throw new ConfigException("--weight-decay " + weightDecay + " with --lr " + lr + ": lr × weight decay must be below 1"
                    + " (each step multiplies the weights by 1 - lr × weight decay), got " + lr * weightDecay);
        }
        // transformers' label_smoothing_factor; PyTorch accepts [0, 1]. 1 would train towards the uniform
        // distribution only: a run that cannot learn, refused as the mistake it is.
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new ConfigException("--label-smoothing must be a number in [0, 1) (0 = off; 0.1 is usual), got " + labelSmoothing);
        }
        positive("eval-steps", evalSteps);
        positive("save-steps", saveSteps);
        positive("log-steps", logSteps);
        nonNegative("threads", threads);
        if (threads > MAX_THREADS) {
            throw new ConfigException("--threads must be ≤ " + MAX_THREADS + " (0 = all " + Runtime.getRuntime().availableProcessors()
                    + " cores), got " + threads);
        }
        nonNegative("patience", patience);
        if (!BEST_METRICS.contains(bestMetric)) {
            throw new ConfigException("--best-metric must be one of " + BEST_METRICS + ", got '" + bestMetric + "'");
        }
        positive("keep-checkpoints", keepCheckpoints);
        oneOf("tracker", tracker, TRACKERS);
        nonNegative("eval-max-examples", evalMaxExamples);
        positive("num-beams", numBeams);
        positive("max-new-tokens", maxNewTokens);
        // Checked here, before training, and not only by the evaluation's GenerationConfig after it.
        atMost("num-beams", numBeams, GenerationConfig.MAX_NUM_BEAMS);
        atMost("max-new-tokens", maxNewTokens, GenerationConfig.MAX_NEW_TOKENS_LIMIT);
        if (!Double.isFinite(lengthPenalty)) throw new ConfigException("--length-penalty must be a finite number");
        nonNegative("no-repeat-ngram-size", noRepeatNgramSize);
        experimentName(experimentName);
        if (prefix == null) throw new ConfigException("--prefix must not be null (use \"\" for none)");
        // Checked with the other flags: found by the dataset loader after the model had loaded, a same
        // column for both was an internal error with a stack trace.
        String columns = dev.resumo.train.data.Columns.flagProblem(textColumn, summaryColumn);
        if (columns != null) throw new ConfigException(columns);
        // MLflow: --tracking-uri (else MLFLOW_TRACKING_URI) names the server; the address is checked here, the server at start.
        if (trackingUri != null && trackingUri.isBlank()) trackingUri = null;
        if (trackingUri != null) MlflowSettings.checkTrackingUri("--tracking-uri", trackingUri);
        if (runName != null && runName.isBlank()) runName = null;
        if (registerModel != null && registerModel.isBlank()) throw new ConfigException("--register-model must not be empty");
    }

    /** The defaults: the T5 fine-tuning recipe (Adafactor, lr 1e-3 constant). */
    public static TrainConfig defaults() {
        return new TrainConfig(
                null, null, null, "text", "summary", "resumo", null, "summarize: ",
                512, 150, 3, 0, 8, 8, 1,
                1e-3, "adafactor", "constant", 0, 1.0, 0.0, 0.0, false,
                500, 500, 10, 42, 0, false, null, 0, "eval_loss", 2, "local", 0,
                1, 150, 1.0, 0,
                null, null, null);
    }

    /** True when a larger value of the metric is better. */
    public boolean bestMetricIsMaximised() {
        return !bestMetric.equals("eval_loss");
    }

    /** Flag name (without the dashes) of a record component: maxSourceLength → max-source-length. */
    public static String flagName(String component) {
        StringBuilder b = new StringBuilder();
        for (char c : component.toCharArray()) {
            if (Character.isUpperCase(c)) b.append('-').append(Character.toLowerCase(c));
            else b.append(c);
        }
        return b.toString();
    }

    /** Every flag name, in declaration order. */
    public static List<String> flagNames() {
        return java.util.Arrays.stream(TrainConfig.class.getRecordComponents()).map(c -> flagName(c.getName())).toList();
    }

    /** Flag name → value, in declaration order (nulls included, so the file shows every setting). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        try {
            for (RecordComponent c : TrainConfig.class.getRecordComponents()) {
                map.put(flagName(c.getName()), c.getAccessor().invoke(this));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return map;
    }

    /**
     * This config with some settings replaced. Keys are flag names; values may be strings (from the
     * command line) or JSON values (from a file). An unknown key or an unparsable value is a
     * {@link ConfigException} naming it.
     */
    public TrainConfig with(Map<String, ?> overrides) {
        Map<String, Object> merged = toMap();
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            if (!merged.containsKey(e.getKey())) {
                throw new ConfigException("unknown setting '" + e.getKey() + "' (known: " + String.join(", ", merged.keySet()) + ")");
            }
            merged.put(e.getKey(), e.getValue());
        }
        RecordComponent[] components = TrainConfig.class.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String flag = flagName(components[i].getName());
            types[i] = components[i].getType();
            args[i] = convert(flag, merged.get(flag), types[i]);
        }
        try {
            return TrainConfig.class.getDeclaredConstructor(types).newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof ConfigException ce) throw ce;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object convert(String flag, Object value, Class<?> type) {
        if (type == String.class) return value == null ? null : value.toString();
        if (value == null) throw new ConfigException("--" + flag + " needs a value");
        String text = value.toString().trim();
        if (type == int.class) return (int) wholeNumber(flag, value, text, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (type == long.class) return wholeNumber(flag, value, text, Long.MIN_VALUE, Long.MAX_VALUE);
        try {
            if (type == double.class) return value instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException("--" + flag + " must be " + (type == double.class ? "a number" : "a whole number")
                    + ", got '" + text + "'");
        }
        if (type == boolean.class) {
            if (value instanceof Boolean b) return b;
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new ConfigException("--" + flag + " must be true or false, got '" + text + "'");
            };
        }
        throw new IllegalStateException("no conversion to " + type);
    }

    /**
     * A whole number within [min, max]. A whole number outside the type's range is reported as too
     * large / too small with the bound, not as "not a whole number" (it is one); a JSON number
     * arrives as BigInteger/BigDecimal when large, so it is compared exactly, never truncated.
     */
    private static long wholeNumber(String flag, Object value, String text, long min, long max) {
        java.math.BigDecimal exact;
        try {
            exact = value instanceof Number n && !(n instanceof Double || n instanceof Float)
                    ? new java.math.BigDecimal(n.toString()) : new java.math.BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new ConfigException("--" + flag + " must be a whole number, got '" + text + "'");
        }
        if (exact.stripTrailingZeros().scale() > 0) throw new ConfigException("--" + flag + " must be a whole number, got '" + text + "'");
        if (exact.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
            throw new ConfigException("--" + flag + " is too large (at most " + max + "), got '" + text + "'");
        }
        if (exact.compareTo(java.math.BigDecimal.valueOf(min)) < 0) {
            throw new ConfigException("--" + flag + " is too small (at least " + min + "), got '" + text + "'");
        }
        return exact.longValueExact();
    }

    /**
     * The name becomes the default run directory (runs/NAME-TIMESTAMP), so it must be one plain
     * folder name: "../../x" would put the run outside runs/, "a/b" would make nested folders.
     */
    private static void experimentName(String name) {
        if (name == null || name.isBlank()) throw new ConfigException("--experiment-name must not be empty");
        String problem = null;
        if (name.equals(".") || name.equals("..")) problem = "must not be '.' or '..'";
        else if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) problem = "must not contain a path separator ('/' or '\\')";
        else if (name.chars().anyMatch(Character::isISOControl)) problem = "must not contain control characters";
        if (problem != null) {
            throw new ConfigException("--experiment-name " + problem + ", got '" + name.replaceAll("[\\p{Cntrl}\\x{80}-\\x{9F}]", "?")
                    + "' (train names its run directory runs/<name>-<timestamp> after it)");
        }
    }

    private static void positive(String flag, long v) {
        if (v < 1) throw new ConfigException("--" + flag + " must be ≥ 1, got " + v);
    }

    private static void atMost(String flag, long v, long max) {
        if (v > max) throw new ConfigException("--" + flag + " must be ≤ " + max + ", got " + v);
    }

    private static void nonNegative(String flag, long v) {
        if (v < 0) throw new ConfigException("--" + flag + " must be ≥ 0, got " + v);
    }

    private static void oneOf(String flag, String v, Set<String> allowed) {
        if (v == null || !allowed.contains(v)) {
            throw new ConfigException("--" + flag + " must be one of " + new java.util.TreeSet<>(allowed) + ", got '" + v + "'");
        }
    }
}
