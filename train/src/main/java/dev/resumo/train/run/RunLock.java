package dev.resumo.train.run;

import dev.resumo.train.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * One training at a time per run directory. Two processes on the same run — the same
 * `--resume auto` started twice, a scheduler retrying a job that still runs — would write each
 * other's checkpoints, trim each other's metrics and leave a run that matches neither. The lock is
 * an OS file lock on {@value #NAME} in the run directory: the OS drops it when the process ends,
 * however it ends (kill -9 included), so it can never be left stale.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file in the run directory; it holds the pid of the training that has it. */
    public static final String NAME = ".resumo-train.lock";

    private final Path root;
    private final boolean createdRoot;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path root, boolean createdRoot, FileChannel channel, FileLock lock) {
        this.root = root;
        this.createdRoot = createdRoot;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the run directory {@code root} (created when missing) for this process.
     *
     * @throws ConfigException naming the other process when a training is already using it
     */
    public static RunLock acquire(Path root) throws IOException {
        boolean created = !Files.exists(root);
        dev.resumo.train.checkpoint.Durable.createDirectories(root);
        Path file = root.resolve(NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM holds it already (a test, or an embedding that started two trainings)
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            channel.close();
            throw inUse(root, holder);
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            // The pid only lets a second training's refusal name this one; the lock is what matters.
            // Throwing here (a full disk at this instant) would leave the lock held by no one's RunLock.
        }
        return new RunLock(root, created, channel, lock);
    }

    /**
     * Throws what {@link #acquire} would when another training holds {@code root}, taking nothing:
     * for the checks that look at a run directory before training starts, so that their advice
     * ("pass --resume auto ...") is not given for a run that is busy — following it only led to
     * this refusal.
     */
    public static void refuseIfHeld(Path root) throws IOException {
        Path file = root.resolve(NAME);
        if (!Files.isRegularFile(file)) return;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe;
            try {
                probe = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                probe = null; // held in this JVM, which acquire also counts as in use
            }
            if (probe != null) {
                probe.release();
                return;
            }
            throw inUse(root, Files.readString(file, StandardCharsets.UTF_8).strip());
        }
    }

    private static ConfigException inUse(Path root, String holder) {
        return new ConfigException("--output-dir " + root + " is in use by another training"
                + (holder.matches("\\d+") ? " (pid " + holder + ")" : "") + " that is still running; wait for it to end or stop"
                + " it first (two trainings in one run directory would overwrite each other's checkpoints)");
    }

    /**
     * Lets the run directory go. When nothing but the lock file is in it (the run stopped on its
     * inputs before writing anything), the lock file goes too, and the directory when this lock
     * created it: a failed start leaves nothing that would block reusing --output-dir.
     */
    @Override
    public void close() throws IOException {
        try {
            if (onlyTheLockIsThere()) {
                Files.deleteIfExists(root.resolve(NAME));
                if (createdRoot) Files.deleteIfExists(root);
            }
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private boolean onlyTheLockIsThere() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.allMatch(p -> p.getFileName().toString().equals(NAME));
        }
    }
}
