package dev.resumo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.train.ConfigException;
import dev.resumo.train.ResumePoint;
import dev.resumo.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The flags of `resumo train`: one per {@link TrainConfig} setting (same name), plus --config.
 * Resolution: defaults, then the --config JSON file, then flags; errors name the flag.
 */
final class TrainFlags {
    // A key given twice would silently let the last one win: refused, naming the key.
    private static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Map<String, String> HELP = new LinkedHashMap<>();
    private static final java.util.Set<String> REQUIRED = java.util.Set.of("model", "dataset");

    static {
        HELP.put("model", "model to fine-tune: a checkpoint directory or a hub id ORG/NAME[@REV]");
        HELP.put("tokenizer", "spiece.model or a directory holding one (default: the model directory)");
        HELP.put("dataset", "JSONL/CSV/TSV file (or .gz of one), Parquet file, TeMário folder, XL-Sum archive, a folder laid out like"
                + " a hub dataset (DIR[:CONFIG], as huggingface-cli download leaves it), or a hub dataset id such as"
                + " csebuetnlp/xlsum:portuguese, VictorNGomes/CorpusTeMario or ORG/NAME@refs/convert/parquet (fetched via HF_ENDPOINT, HF_TOKEN)");
        HELP.put("text-column", "column holding the text");
        HELP.put("summary-column", "column holding the reference summary");
        HELP.put("experiment-name", "name of the run (run directory, model card) and its MLflow experiment, created when missing");
        HELP.put("output-dir", "run directory: a new or empty directory, or an existing run with --resume "
                + "(default: runs/<experiment-name>-<timestamp>)");
        HELP.put("prefix", "put before every text; saved with the model");
        HELP.put("max-source-length", "tokens of input kept, </s> included; at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH + "");
        HELP.put("max-target-length", "tokens of summary kept, </s> included; at most " + dev.resumo.t5.SequenceLimits.MAX_SEQUENCE_LENGTH + "");
        HELP.put("epochs", "passes over the training split (unless --max-steps)");
        HELP.put("max-steps", "optimizer steps; 0 = run all epochs");
        HELP.put("batch-size", "examples per micro-batch");
        HELP.put("eval-batch-size", "examples per evaluation batch");
        HELP.put("grad-accum", "micro-batches per optimizer step; their mean losses are summed, not averaged, "
                + "as transformers' Trainer does for T5");
        HELP.put("lr", "peak learning rate");
        // The settings no flag changes, so --help says them (transformers' Trainer defaults).
        HELP.put("optimizer", "adafactor (the --lr, no relative step or parameter scaling, no first moment, clip 1.0, "
                + "decay rate -0.8) or adamw (betas 0.9 and 0.999, eps 1e-8)");
        HELP.put("schedule", "constant (after --warmup-steps), linear (warmup then decay to 0), cosine (warmup then a half cosine down to 0)"
                + " or inverse-sqrt (transformers' linear, cosine and inverse_sqrt; constant with warmup is its constant_with_warmup)");
        HELP.put("warmup-steps", "steps of linear warmup from lr 0 (the first step's lr)");
        HELP.put("max-grad-norm", "clip gradients to this global L2 norm; 0 = off");
        HELP.put("weight-decay", "decoupled weight decay; not of biases and layer norms (transformers' rule); "
                + "--lr × weight decay below 1");
        HELP.put("label-smoothing", "ε of label smoothing in the training and evaluation loss (transformers' label_smoothing_factor):"
                + " each token's target is 1 - ε on the reference token plus ε spread over the vocabulary; 0 = off");
        HELP.put("gradient-checkpointing", "keep only each layer's input in the forward and recompute the layer in the"
                + " backward (transformers' gradient_checkpointing): about half the activation memory for 15-45% more"
                + " time a step; the same numbers");
        HELP.put("eval-steps", "evaluate (eval loss + ROUGE) every N steps and at the end");
        HELP.put("save-steps", "write a checkpoint every N steps");
        HELP.put("log-steps", "log training metrics every N steps (loss: their mean)");
        HELP.put("seed", "seed of shuffling and dropout");
        HELP.put("threads", "compute threads; 0 = all cores; at most " + TrainConfig.MAX_THREADS);
        HELP.put("strict", "stop at the first bad dataset row instead of rejecting it");
        HELP.put("resume", "continue from the newest complete checkpoint of --output-dir (auto) or from PATH");
        HELP.put("patience", "stop after N evaluations without improvement; 0 = never");
        HELP.put("best-metric", "eval_loss, rouge1, rouge2, rougeL or rougeLsum: picks the kept model");
        HELP.put("keep-checkpoints", "newest checkpoints kept (the best is kept too)");
        HELP.put("tracker", "none or local (metrics.jsonl in the run directory); --tracking-uri adds MLflow");
        HELP.put("eval-max-examples", "validation examples summarized for ROUGE; 0 = all");
        HELP.put("num-beams", "evaluation summaries: beam width; 1 = greedy; at most " + dev.resumo.t5.generate.GenerationConfig.MAX_NUM_BEAMS + "");
        HELP.put("max-new-tokens", "evaluation summaries: longest summary in tokens; at most " + dev.resumo.t5.generate.GenerationConfig.MAX_NEW_TOKENS_LIMIT + "");
        HELP.put("length-penalty", "evaluation summaries: beam score = log p / length^X");
        HELP.put("no-repeat-ngram-size", "evaluation summaries: no n-gram of this size twice; 0 = off");
        HELP.put("tracking-uri", "MLflow tracking server, e.g. http://127.0.0.1:5000 from bin/mlflow-up; credentials only from "
                + "MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD (default: $MLFLOW_TRACKING_URI, else no MLflow)");
        HELP.put("run-name", "MLflow run name (default: one MLflow makes up)");
        HELP.put("register-model", "register the final model as a new version of this name in MLflow's Model Registry "
                + "(default: not registered)");
    }

    /** Switches: present = true; in --config they take true or false. */
    private static final java.util.Set<String> BOOLEAN_FLAGS = java.util.Set.of("strict", "gradient-checkpointing");

    private TrainFlags() {}

    static Options options() {
        Options o = new Options();
        Map<String, Object> defaults = TrainConfig.defaults().toMap();
        for (String flag : TrainConfig.flagNames()) {
            String help = HELP.get(flag);
            if (help == null) throw new IllegalStateException("no help text for --" + flag);
            Object d = defaults.get(flag);
            String shown = help.contains("(default:") ? "" : REQUIRED.contains(flag) ? " (required)" : " (default: " + (d == null ? "none" : d instanceof String s ? "\"" + s + "\"" : d) + ")";
            Option.Builder b = Option.builder().longOpt(flag).desc(help + shown);
            if (BOOLEAN_FLAGS.contains(flag)) b.hasArg(false);
            else if (flag.equals("resume")) b.hasArg().optionalArg(true).argName("auto|PATH");
            else b.hasArg().argName(argName(flag, d));
            o.addOption(b.get());
        }
        o.addOption(Option.builder().longOpt("config").hasArg().argName("FILE")
                .desc("JSON object of settings by flag name; flags given here override it (default: none)").get());
        return o;
    }

    // What each flag's argument is, for the usage line: numbers by their default's type, the rest by name.
    private static final Map<String, String> ARG_NAMES = Map.ofEntries(
            Map.entry("model", "DIR|ORG/NAME"), Map.entry("tokenizer", "PATH"), Map.entry("dataset", "PATH|ID"),
            Map.entry("text-column", "NAME"), Map.entry("summary-column", "NAME"), Map.entry("experiment-name", "NAME"),
            Map.entry("output-dir", "DIR"), Map.entry("prefix", "TEXT"), Map.entry("optimizer", "NAME"),
            Map.entry("schedule", "NAME"), Map.entry("best-metric", "METRIC"), Map.entry("tracker", "NAME"),
            Map.entry("tracking-uri", "URI"), Map.entry("run-name", "NAME"), Map.entry("register-model", "NAME"));

    private static String argName(String flag, Object dflt) {
        String named = ARG_NAMES.get(flag);
        if (named != null) return named;
        if (dflt instanceof Integer || dflt instanceof Long) return "N";
        if (dflt instanceof Number) return "X";
        return "VALUE";
    }

    /** The resolved configuration; --output-dir gets its default here so config.json records the real path. */
    static TrainConfig resolve(CommandLine line) {
        try {
            TrainConfig c = TrainConfig.defaults();
            Map<String, Object> file = line.hasOption("config") ? readConfigFile(Path.of(line.getOptionValue("config"))) : Map.of();
            Map<String, Object> flags = new LinkedHashMap<>();
            for (String flag : TrainConfig.flagNames()) {
                if (!line.hasOption(flag)) continue;
                if (BOOLEAN_FLAGS.contains(flag)) flags.put(flag, true);
                else if (flag.equals("resume")) flags.put(flag, line.getOptionValue(flag, "auto"));
                else flags.put(flag, line.getOptionValue(flag));
            }
            c = c.with(file).with(flags);
            // A resume continues the run as it was configured: settings neither flagged nor in --config
            // come from the checkpoint's saved config.json, not from the defaults. Otherwise forgetting to
            // repeat --optimizer adamw (or --lr, --schedule ...) would silently change the run — or, for
            // the optimizer, make the checkpoint's state unusable.
            Map<String, Object> saved = savedSettings(c);
            if (!saved.isEmpty()) c = TrainConfig.defaults().with(saved).with(file).with(flags);
            if (c.outputDir() == null) {
                String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
                Path base = Path.of("runs", c.experimentName() + "-" + stamp).toAbsolutePath();
                c = c.with(Map.of("output-dir", RunDirGuard.unusedDefault(base).toString()));
            }
            return c;
        } catch (ConfigException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** The settings of the checkpoint a resume continues from (never its resume or output-dir), else empty. */
    private static Map<String, Object> savedSettings(TrainConfig c) {
        if (c.resume() == null || c.resume().isBlank() || c.outputDir() == null) return Map.of();
        try {
            Path from = ResumePoint.locateQuietly(c, Path.of(c.outputDir()).toAbsolutePath().normalize());
            if (from == null) return Map.of();
            Map<String, Object> saved = new LinkedHashMap<>(ResumePoint.savedSettings(from));
            saved.keySet().retainAll(TrainConfig.flagNames());
            saved.remove("resume");
            saved.remove("output-dir");
            TrainConfig.defaults().with(saved); // settings this version no longer accepts: resume with the defaults
            return saved;
        } catch (IOException | RuntimeException e) { // ConfigException included
            return Map.of(); // the run itself reports what is wrong with --resume
        }
    }

    private static Map<String, Object> readConfigFile(Path file) {
        JsonNode root;
        if (!Files.exists(file)) throw new UserError("--config " + file + ": no such file");
        if (Files.isDirectory(file)) throw new UserError("--config " + file + ": is a directory, not a JSON file");
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            java.util.regex.Matcher dup = java.util.regex.Pattern.compile("Duplicate field '(.*)'").matcher(e.getOriginalMessage());
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            if (dup.find()) {
                throw new UserError("--config " + file + ": setting '" + dup.group(1) + "' is given twice" + where + "; keep one");
            }
            throw new UserError("--config " + file + ": not valid JSON" + where + " (" + dev.resumo.t5.JsonErrors.reason(e) + ")");
        } catch (IOException e) {
            throw new UserError("--config " + file + ": cannot read it as JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) throw new UserError("--config " + file + ": must be a JSON object of settings by flag name");
        Map<String, Object> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isContainerNode()) throw new UserError("--config " + file + ": '" + e.getKey() + "' must be a single value");
            m.put(e.getKey(), v.isNull() ? null : v.isBoolean() ? v.booleanValue() : v.isNumber() ? v.numberValue() : v.asText());
        }
        return m;
    }
}
