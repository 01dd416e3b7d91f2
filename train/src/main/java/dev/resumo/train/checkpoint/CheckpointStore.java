package dev.resumo.train.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.CheckpointFormatException;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.train.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints/ folder of a run. A checkpoint is written into a temporary directory, every file
 * fsync'd, a completion marker written last, then renamed into place (atomic) and the parent synced;
 * a directory without the marker (a crash mid-write) is ignored with a warning.
 */
public final class CheckpointStore {
    public static final String MARKER = "COMPLETE";
    public static final String WEIGHTS = "model.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "trainer_state.json";
    public static final String CONFIG = "config.json";
    /** Prefix of a checkpoint being deleted by {@link #prune}. */
    private static final String DELETING = ".deleting-";
    /** Prefix of a checkpoint being written by {@link #save}. */
    private static final String TMP = ".tmp-";
    /** Prefix of a checkpoint {@link #save} moved aside to replace it. */
    private static final String OLD = ".old-";
    private static final Pattern NAME = Pattern.compile("step-(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a checkpoint holds once loaded. */
    public record Loaded(Path dir, Map<String, Tensor> weights, Map<String, Tensor> optimizerState, TrainerState state) {}

    private final Path root;
    private final Consumer<String> warn;

    public CheckpointStore(Path root, Consumer<String> warn) {
        this.root = root;
        this.warn = warn;
    }

    public Path root() {
        return root;
    }

    public static String name(long step) {
        return String.format("step-%08d", step);
    }

    /** Writes a complete checkpoint atomically and returns its directory. */
    public Path save(List<Parameter> parameters, Map<String, Tensor> optimizerState, TrainerState state,
                     Map<String, Object> config) throws IOException {
        Durable.createDirectories(root);
        String name = name(state.step());
        Path tmp = root.resolve(TMP + name);
        Durable.deleteRecursively(tmp);
        Files.createDirectories(tmp);

        try {
            Map<String, Tensor> weights = new LinkedHashMap<>();
            for (Parameter p : parameters) weights.put(p.name(), p.value());
            Safetensors.write(tmp.resolve(WEIGHTS), weights); // fsync'd by the writer
            Safetensors.write(tmp.resolve(OPTIMIZER), optimizerState);
            Durable.writeString(tmp.resolve(STATE), JSON.writeValueAsString(state));
            Durable.writeString(tmp.resolve(CONFIG), JSON.writeValueAsString(config));
            Durable.writeString(tmp.resolve(MARKER), "step " + state.step() + "\n");
            Durable.syncDirectory(tmp);
        } catch (IOException | RuntimeException e) {
            // A full disk: give back what the half-written checkpoint took (the run's other files need it).
            Durable.deleteAfterFailure(tmp, e);
            throw e;
        }

        Path target = root.resolve(name);
        Path old = root.resolve(OLD + name);
        if (Files.exists(target)) Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Durable.syncDirectory(root);
        Durable.deleteRecursively(old);
        return target;
    }

    /** Complete checkpoints, oldest first; incomplete ones are reported through the warning sink. */
    public List<Path> complete() throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            String n = d.getFileName().toString();
            if (!NAME.matcher(n).matches()) {
                if (n.startsWith(TMP)) warn.accept("ignoring incomplete checkpoint " + d + " (interrupted while being written)");
                continue;
            }
            if (Files.isRegularFile(d.resolve(MARKER))) out.add(d);
            else warn.accept("ignoring incomplete checkpoint " + d + " (no " + MARKER + " marker)");
        }
        out.sort((a, b) -> Long.compare(step(a), step(b)));
        return out;
    }

    public Optional<Path> latest() throws IOException {
        List<Path> all = complete();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    public static long step(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException(checkpoint + " is not a checkpoint directory (step-NNNNNNNN)");
        return Long.parseLong(m.group(1));
    }

    public Loaded load(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(MARKER))) {
            throw new IOException("checkpoint " + dir + " is incomplete (no " + MARKER + " marker)");
        }
        return new Loaded(dir, tensors(dir.resolve(WEIGHTS)), tensors(dir.resolve(OPTIMIZER)), trainerState(dir.resolve(STATE)));
    }

    private static Map<String, Tensor> tensors(Path file) {
        if (!Files.isRegularFile(file)) throw new DamagedCheckpointException("checkpoint file " + file + " is missing", null);
        try {
            return Safetensors.readAll(file);
        } catch (CheckpointFormatException | UncheckedIOException e) {
            String why = firstLine(e.getMessage());
            if (why.startsWith(file + ": ")) why = why.substring(file.toString().length() + 2); // the reader names the file too
            throw new DamagedCheckpointException("checkpoint file " + file + " is damaged: " + why, e);
        }
    }

    private static TrainerState trainerState(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new DamagedCheckpointException("checkpoint file " + file + " is missing", null);
        try {
            TrainerState state = JSON.readValue(file.toFile(), TrainerState.class);
            if (state == null) throw new DamagedCheckpointException("checkpoint file " + file + " is empty JSON (null)", null);
            return state;
        } catch (JsonProcessingException e) {
            // Jackson's message goes on with a "(start marker at [Source: ...])" part that says nothing here; the location does.
            String why = firstLine(e.getOriginalMessage());
            if (why.indexOf(" (") > 0) why = why.substring(0, why.indexOf(" ("));
            var at = e.getLocation();
            throw new DamagedCheckpointException("checkpoint file " + file + " is not valid JSON for a trainer state ("
                    + (at != null ? "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " : "") + why + ")", e);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
    }

    /**
     * Deletes all complete checkpoints but the newest keepLast and the one named best (may be null).
     * Each is first renamed out of the step-NNNNNNNN names (atomic), so a crash in the middle of a
     * delete never leaves a checkpoint that still says COMPLETE with some of its files gone.
     */
    public void prune(int keepLast, String best) throws IOException {
        List<Path> all = complete();
        for (int i = 0; i < all.size() - keepLast; i++) {
            Path d = all.get(i);
            if (d.getFileName().toString().equals(best)) continue;
            Path doomed = root.resolve(DELETING + d.getFileName());
            Durable.deleteRecursively(doomed);
            Files.move(d, doomed, StandardCopyOption.ATOMIC_MOVE);
            Durable.deleteRecursively(doomed);
        }
        deleteLeftovers();
    }

    /**
     * What a crash (kill -9, no cleanup) left: checkpoints half-deleted (.deleting-*) or half-written
     * (.tmp-step-*: only a renamed checkpoint counts; the resumed run writes that step again), and a
     * checkpoint moved aside to be replaced (.old-step-*): it goes back under its name when its
     * replacement never took it, and is deleted when the replacement did. Only for the training that
     * holds the run's lock, which no other process is writing into.
     */
    public void deleteLeftovers() throws IOException {
        if (!Files.isDirectory(root)) return;
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
        for (Path d : dirs) {
            String n = d.getFileName().toString();
            if (n.startsWith(DELETING) || n.startsWith(TMP)) {
                Durable.deleteRecursively(d);
            } else if (n.startsWith(OLD) && NAME.matcher(n.substring(OLD.length())).matches()) {
                Path original = root.resolve(n.substring(OLD.length()));
                if (Files.exists(original)) {
                    Durable.deleteRecursively(d);
                } else {
                    Files.move(d, original, StandardCopyOption.ATOMIC_MOVE);
                    Durable.syncDirectory(root);
                }
            }
        }
    }
}
