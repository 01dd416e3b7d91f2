package dev.resumo.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.train.checkpoint.CheckpointStore;
import dev.resumo.train.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where --resume continues from, decided before anything is written into the run directory: a bad
 * --resume must leave an existing run exactly as it was (its config.json, rejected.jsonl, run.json).
 */
public final class ResumePoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResumePoint() {}

    /**
     * The checkpoint to resume from, or null to start fresh. Refuses (ConfigException) a blank
     * --resume, a path that is not a complete checkpoint (saying what it looks like instead), a fresh
     * start in a run that has checkpoints, and a checkpoint whose optimizer differs from --optimizer.
     */
    public static Path locate(TrainConfig c, Path runRoot, Consumer<String> warn) throws IOException {
        CheckpointStore store = new CheckpointStore(runRoot.resolve(RunDirectory.CHECKPOINTS), warn);
        String resume = c.resume();
        Path from;
        if (resume == null) {
            if (!store.complete().isEmpty()) {
                throw new ConfigException("--output-dir " + runRoot + " already has checkpoints; pass --resume auto "
                        + "to continue that run, or choose another --output-dir");
            }
            return null;
        } else if (resume.isBlank()) {
            throw new ConfigException("--resume is empty: give auto (the newest checkpoint of --output-dir) or a checkpoint "
                    + "directory (checkpoints/step-NNNNNNNN)");
        } else if (resume.equals("auto")) {
            var latest = store.latest();
            if (latest.isEmpty()) return null;
            from = latest.get();
        } else {
            try {
                from = Path.of(resume);
            } catch (InvalidPathException e) {
                throw new ConfigException("--resume " + resume + ": not a valid path (" + e.getReason() + ")");
            }
            String why = whyNotACheckpoint(from);
            if (why != null) throw new ConfigException("--resume " + resume + ": " + why);
        }
        checkOptimizer(c, from);
        return from;
    }

    /**
     * The checkpoint --resume names, or null when there is none or it is unusable (reported later by
     * {@link #locate}); used to read the settings the run was started with.
     */
    public static Path locateQuietly(TrainConfig c, Path runRoot) throws IOException {
        String resume = c.resume();
        if (resume == null || resume.isBlank()) return null;
        if (resume.equals("auto")) return new CheckpointStore(runRoot.resolve(RunDirectory.CHECKPOINTS), w -> {}).latest().orElse(null);
        Path from = Path.of(resume);
        return whyNotACheckpoint(from) == null ? from : null;
    }

    /** Null when dir looks like a complete checkpoint, else what is wrong with it, in words. */
    static String whyNotACheckpoint(Path dir) {
        if (!Files.exists(dir)) return "no such checkpoint directory";
        if (!Files.isDirectory(dir)) return "is a file, not a checkpoint directory (checkpoints/step-NNNNNNNN)";
        boolean state = Files.isRegularFile(dir.resolve(CheckpointStore.STATE));
        boolean marker = Files.isRegularFile(dir.resolve(CheckpointStore.MARKER));
        if (!state && !marker) {
            if (Files.isDirectory(dir.resolve(RunDirectory.CHECKPOINTS))) {
                return "is a run directory, not a checkpoint: pass --output-dir " + dir + " --resume auto, or one of its checkpoints/step-NNNNNNNN";
            }
            String looks = Files.isRegularFile(dir.resolve(CheckpointStore.WEIGHTS)) || Files.isRegularFile(dir.resolve("config.json"))
                    ? " (it looks like a model folder: give it to --model to start a new run from it)" : "";
            return "not a checkpoint directory: it has no " + CheckpointStore.STATE + " and no " + CheckpointStore.MARKER + looks;
        }
        if (!marker) return "checkpoint is incomplete (no " + CheckpointStore.MARKER + " marker: it was interrupted while being written)";
        return null;
    }

    /** The optimizer named by the checkpoint's saved settings, or null when it does not say. */
    public static String optimizerOf(Path checkpoint) {
        Object o = savedSettings(checkpoint).get("optimizer");
        return o == null ? null : o.toString();
    }

    /** The settings a checkpoint was written under (its config.json), or an empty map when unreadable. */
    public static Map<String, Object> savedSettings(Path checkpoint) {
        Path file = checkpoint.resolve(CheckpointStore.CONFIG);
        if (!Files.isRegularFile(file)) return Map.of();
        try {
            Map<String, Object> m = JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
            return m == null ? Map.of() : m;
        } catch (IOException e) {
            return Map.of();
        }
    }

    /**
     * Optimizer state is only meaningful to the optimizer that wrote it (Adafactor keeps factored
     * second moments, AdamW two full moments): resuming with the other one cannot work, so it is
     * refused here, naming both, before anything is loaded or written.
     */
    private static void checkOptimizer(TrainConfig c, Path from) {
        String saved = optimizerOf(from);
        if (saved != null && !saved.equals(c.optimizer())) throw mismatch(saved, c.optimizer());
    }

    static ConfigException mismatch(String saved, String asked) {
        return new ConfigException("the checkpoint's optimizer state is " + saved + "'s; this run asks for " + asked
                + " (pass --optimizer " + saved + " to resume it)");
    }

    /** Names that appear only in one optimizer's state, to tell which one wrote a state without a config.json. */
    static String optimizerOfState(List<String> stateNames) {
        for (String n : stateNames) {
            if (n.endsWith(".exp_avg") || n.endsWith(".exp_avg_sq")) return "adamw";
        }
        return stateNames.isEmpty() ? null : "adafactor";
    }
}
