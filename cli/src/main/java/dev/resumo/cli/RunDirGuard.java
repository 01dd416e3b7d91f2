package dev.resumo.cli;

import dev.resumo.train.checkpoint.CheckpointStore;
import dev.resumo.train.run.RunDirectory;
import dev.resumo.train.run.RunLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Decides, before anything is loaded, whether `train` / `demo` may write a run into --output-dir.
 * A run writes config.json, metrics.jsonl, predictions.jsonl, model/ ... and replaces files of those
 * names, so it gets a new directory or an existing empty one; an existing Resumo run only with
 * --resume (train). It must never write into, around or inside what it reads (the model, the
 * tokenizer, the dataset): paths are compared as real paths, so a symlink or "." cannot hide that.
 */
final class RunDirGuard {
    /** Something the run reads, named by its flag. */
    record Input(String flag, Path path) {}

    /** How a run directory that already has checkpoints is answered: train can resume it, demo cannot. */
    enum Command { TRAIN, DEMO }

    private RunDirGuard() {}

    /**
     * Refuses (UserError naming --output-dir and the path) a blank path, a file, a directory that is
     * not empty (unless it is a Resumo run and resume is set), or one that is, holds or sits inside
     * an input.
     */
    static void check(String outputDir, Command command, boolean resume, List<Input> inputs) {
        if (outputDir == null || outputDir.isBlank()) {
            throw new UserError("--output-dir must not be empty; give a new directory for the run");
        }
        Path dir;
        try {
            dir = Path.of(outputDir).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UserError("--output-dir " + outputDir + ": not a valid path (" + e.getReason() + ")");
        }
        try {
            Path existing = nearestExisting(dir);
            if (existing != null && !Files.isDirectory(existing)) {
                throw new UserError("--output-dir " + outputDir + ": " + (existing.equals(dir) ? "is a file, not a directory"
                        : existing + " is a file, not a directory") + "; choose a new directory");
            }
            Path real = realPath(dir);
            for (Input in : inputs) {
                if (in.path() == null || !Files.exists(in.path())) continue;
                Path input = in.path().toRealPath();
                String where = real.equals(input) ? "is" : real.startsWith(input) ? "is inside"
                        : input.startsWith(real) ? "contains" : null;
                if (where != null) {
                    throw new UserError("--output-dir " + outputDir + " " + where + " what " + in.flag() + " reads (" + in.path()
                            + "); the run would overwrite it: choose a directory outside it");
                }
            }
            if (Files.isDirectory(dir) && !isEmpty(dir)) refuseNonEmpty(outputDir, dir, command, resume);
            if (existing != null && !Files.isWritable(existing)) {
                throw new UserError("--output-dir " + outputDir + ": " + existing + " is not writable");
            }
        } catch (IOException e) {
            throw new UserError("--output-dir " + outputDir + ": cannot inspect it (" + e.getMessage() + ")");
        }
    }

    /**
     * The default run directory: {@code base} unless something is already there (two runs started
     * in the same second, or a leftover), then base-2, base-3 ... — a default never lands on an existing directory.
     */
    static Path unusedDefault(Path base) {
        Path p = base;
        for (int i = 2; Files.exists(p); i++) p = base.resolveSibling(base.getFileName() + "-" + i);
        return p;
    }

    private static void refuseNonEmpty(String outputDir, Path dir, Command command, boolean resume) throws IOException {
        try {
            RunLock.refuseIfHeld(dir); // a busy run first: the advice below would only lead to this
        } catch (dev.resumo.train.ConfigException e) {
            throw new UserError(e.getMessage());
        }
        // The lock file is written first by every training: with it, a run killed (kill -9) before it
        // wrote its config.json (checkpoints/ made, .config.json.tmp-PID half-written) is still a run
        // that --resume auto can start again, not a folder the user is told to abandon.
        boolean isRun = Files.isRegularFile(dir.resolve(RunLock.NAME))
                || Files.isRegularFile(dir.resolve(RunDirectory.CONFIG)) && Files.isDirectory(dir.resolve(RunDirectory.CHECKPOINTS));
        if (!isRun) {
            throw new UserError("--output-dir " + outputDir + " is not empty and is not a Resumo run; choose a new directory");
        }
        boolean hasCheckpoints = !new CheckpointStore(dir.resolve(RunDirectory.CHECKPOINTS), w -> {}).complete().isEmpty();
        if (command == Command.DEMO) {
            throw new UserError("--output-dir " + outputDir + " already holds a Resumo run" + (hasCheckpoints ? " with checkpoints" : "")
                    + " and demo always starts a new one; choose a new directory");
        }
        if (resume) return; // the Trainer continues it (or starts fresh in it when no checkpoint is complete)
        if (hasCheckpoints) {
            throw new UserError("--output-dir " + outputDir + " already has checkpoints; pass --resume auto to continue that run, "
                    + "or choose another --output-dir");
        }
        throw new UserError("--output-dir " + outputDir + " holds a Resumo run without a complete checkpoint; pass --resume auto "
                + "to start it again there, or choose a new directory");
    }

    /** Empty, or holding only the lock file of a training that was killed before it wrote anything. */
    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(dev.resumo.train.run.RunLock.NAME));
        }
    }

    private static Path nearestExisting(Path p) {
        while (p != null && !Files.exists(p)) p = p.getParent();
        return p;
    }

    /** The real path of p, of its nearest existing ancestor with the missing names appended when p does not exist yet. */
    private static Path realPath(Path p) throws IOException {
        Path existing = nearestExisting(p);
        if (existing == null) return p;
        Path rest = existing.relativize(p);
        return existing.toRealPath().resolve(rest).normalize();
    }

    static Input input(String flag, String path) {
        try {
            return new Input(flag, path == null ? null : Path.of(path));
        } catch (RuntimeException e) {
            return new Input(flag, null); // not a path (a hub id, say): nothing on disk to protect
        }
    }
}
