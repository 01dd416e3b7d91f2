package dev.resumo.train.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.checkpoint.Durable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The layout of a run (a contract checked by a test):
 * <pre>
 * config.json       resolved configuration (flag name → value)
 * metrics.jsonl     one JSON object per logged step / evaluation
 * rejected.jsonl    dataset rows refused by validation, with the reason
 * run.json          status, times, artifacts (local tracker)
 * evaluation.json   the best evaluation's step and figures (eval_loss, every ROUGE score)
 * predictions.jsonl the best evaluation's summaries: {"text", "reference", "prediction"} per line
 * mlflow-run.json   the MLflow run this training reports to (only when tracked in MLflow)
 * checkpoints/      step-NNNNNNNN/ {model.safetensors, optimizer.safetensors, trainer_state.json, config.json, COMPLETE}
 * model/            final (best) model, HF layout: config.json, model.safetensors, spiece.model,
 *                   generation_config.json, README.md (model card); written into .tmp-model/ and
 *                   renamed into place whole
 * .resumo-train.lock held by the training using the run (see {@link RunLock})
 * </pre>
 * Files that are rewritten (config.json, run.json, evaluation.json, metrics.jsonl on resume ...)
 * are replaced whole ({@link dev.resumo.train.checkpoint.Durable#writeAtomically}), never cut short.
 * What a training killed mid-write leaves (their temporary ".NAME.tmp-PID" siblings, .tmp-model/,
 * .old-model/) is cleared by the next training on the run ({@link #deleteLeftovers}).
 */
public final class RunDirectory {
    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String REJECTED = "rejected.jsonl";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String MODEL = "model";
    public static final String EVALUATION = "evaluation.json";
    public static final String PREDICTIONS = "predictions.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    public RunDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() { return root; }
    public Path config() { return root.resolve(CONFIG); }
    public Path metrics() { return root.resolve(METRICS); }
    public Path rejected() { return root.resolve(REJECTED); }
    public Path checkpoints() { return root.resolve(CHECKPOINTS); }
    public Path model() { return root.resolve(MODEL); }

    private List<Map<String, Object>> stagedRejected;

    /**
     * Holds the dataset's rejected rows until {@link #create}: nothing is written into the run
     * directory before the data is known to be usable and a resume is known to work.
     */
    public void stageRejected(List<Map<String, Object>> rows) {
        this.stagedRejected = List.copyOf(rows);
    }

    /** Creates the folders and writes config.json and rejected.jsonl (staged rows; empty when nothing was rejected). */
    public void create(TrainConfig config) throws IOException {
        Durable.createDirectories(checkpoints());
        Durable.writeAtomically(config(), JSON.writeValueAsString(config.toMap()));
        if (stagedRejected != null) writeRejected(stagedRejected);
        else if (!Files.exists(rejected())) Durable.writeAtomically(rejected(), "");
    }

    /** The eval_loss of the run's first evaluation in metrics.jsonl (step 0 unless it was skipped), if any. */
    public java.util.OptionalDouble firstEvalLoss() throws IOException {
        if (!Files.exists(metrics())) return java.util.OptionalDouble.empty();
        for (String line : Files.readAllLines(metrics(), StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            try {
                var node = JSON.readTree(line).get("eval_loss");
                if (node != null && node.isNumber()) return java.util.OptionalDouble.of(node.doubleValue());
            } catch (IOException e) {
                // a line cut short by a crash: no figure in it
            }
        }
        return java.util.OptionalDouble.empty();
    }

    /** Temporary files of {@link Durable#writeAtomically}: ".NAME.tmp-PID". */
    private static final java.util.regex.Pattern ATOMIC_TEMP = java.util.regex.Pattern.compile("\\..+\\.tmp-\\d+");

    /**
     * Deletes what a training killed mid-write (kill -9, a power cut: no cleanup ran) left in the run
     * directory: the temporary siblings of files replaced whole (".run.json.tmp-PID" ...) and a
     * model export cut short (.tmp-model/). A .old-model/ is the model of an earlier segment, moved
     * aside an instant before the new one took its place: it goes back to model/ when that rename
     * never happened, and is deleted when it did. Only for the training that holds the run's lock.
     */
    public void deleteLeftovers() throws IOException {
        if (!Files.isDirectory(root)) return;
        List<Path> temps;
        try (var s = Files.list(root)) {
            temps = s.filter(p -> ATOMIC_TEMP.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)).toList();
        }
        for (Path p : temps) Files.deleteIfExists(p);
        Durable.deleteRecursively(root.resolve(".tmp-" + MODEL));
        Path old = root.resolve(".old-" + MODEL);
        if (Files.isDirectory(old) && !Files.exists(model())) {
            Files.move(old, model(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Durable.syncDirectory(root);
        } else {
            Durable.deleteRecursively(old);
        }
    }

    /** Drops metrics lines logged after a step (a resumed run re-logs them). */
    public void trimMetricsAfter(long step) throws IOException {
        if (!Files.exists(metrics())) return;
        StringBuilder kept = new StringBuilder();
        for (String line : Files.readAllLines(metrics(), StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            try {
                if (JSON.readTree(line).path("step").asLong() <= step) kept.append(line).append('\n');
            } catch (IOException e) {
                // A line cut short by a crash: dropped, it describes nothing complete.
            }
        }
        // Replaced whole: a crash or a full disk here must not cost the run its metrics so far.
        Durable.writeAtomically(metrics(), kept.toString());
    }

    /**
     * A fresh, empty folder beside model/ to write the final model into; {@link #publishModel} then
     * puts it in place whole. Written there instead of into model/ itself, a crash, a full disk or a
     * read-only folder in the middle of the export never leaves a half-written model/ — nor costs
     * the model/ an earlier segment of the run exported.
     */
    public Path stageModel() throws IOException {
        Path staged = root.resolve(".tmp-" + MODEL);
        Durable.deleteRecursively(staged); // a leftover of an export that was interrupted
        Files.createDirectories(staged);
        return staged;
    }

    /** Replaces model/ by the staged folder: two renames, the old model/ deleted only once the new one is in place. */
    public void publishModel(Path staged) throws IOException {
        Durable.syncDirectory(staged);
        Path old = root.resolve(".old-" + MODEL);
        Durable.deleteRecursively(old);
        if (Files.exists(model())) Files.move(model(), old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.move(staged, model(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Durable.syncDirectory(root);
        Durable.deleteRecursively(old);
    }

    /**
     * Completes a model folder after the model wrote its weights and config there: the tokenizer, the
     * generation settings and the task prefix (in config.json's task_specific_params, as HF does).
     */
    public void completeModel(Path dir, TrainConfig config, Path spieceModel) throws IOException {
        if (spieceModel != null) Durable.copy(spieceModel, dir.resolve("spiece.model"));
        ObjectNode gen = JSON.createObjectNode();
        gen.put("decoder_start_token_id", 0);
        gen.put("eos_token_id", 1);
        gen.put("pad_token_id", 0);
        gen.put("num_beams", config.numBeams());
        gen.put("max_new_tokens", config.maxNewTokens());
        gen.put("length_penalty", config.lengthPenalty());
        gen.put("no_repeat_ngram_size", config.noRepeatNgramSize());
        Durable.writeAtomically(dir.resolve("generation_config.json"), JSON.writeValueAsString(gen));
        Path modelConfig = dir.resolve("config.json");
        ObjectNode cfg = Files.exists(modelConfig) ? (ObjectNode) JSON.readTree(modelConfig.toFile()) : JSON.createObjectNode();
        cfg.putObject("task_specific_params").putObject("summarization").put("prefix", config.prefix());
        Durable.writeAtomically(modelConfig, JSON.writeValueAsString(cfg));
    }

    /**
     * Records an evaluation (the best so far): its figures in evaluation.json and, when it generated
     * summaries, each one beside its text and reference in predictions.jsonl. Both are replaced whole.
     */
    public void writeEvaluation(long step, List<String> texts, List<String> references, List<String> predictions,
                                Map<String, Double> metrics) throws IOException {
        ObjectNode report = JSON.createObjectNode();
        report.put("step", step);
        metrics.forEach(report::put);
        Durable.writeAtomically(root.resolve(EVALUATION), JSON.writeValueAsString(report));
        if (predictions.isEmpty()) return;
        ObjectMapper line = new ObjectMapper();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < predictions.size(); i++) {
            ObjectNode n = line.createObjectNode();
            n.put("text", texts.get(i));
            n.put("reference", references.get(i));
            n.put("prediction", predictions.get(i));
            b.append(line.writeValueAsString(n)).append('\n');
        }
        Durable.writeAtomically(root.resolve(PREDICTIONS), b.toString());
    }

    public void writeModelCard(Path dir, String markdown) throws IOException {
        Durable.writeAtomically(dir.resolve("README.md"), markdown);
    }

    /** Writes rejected dataset rows (one JSON object each) to rejected.jsonl. */
    public void writeRejected(List<Map<String, Object>> rows) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> r : rows) b.append(new ObjectMapper().writeValueAsString(r)).append('\n');
        Durable.writeAtomically(rejected(), b.toString());
    }
}
