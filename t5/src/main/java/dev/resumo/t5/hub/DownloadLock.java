package dev.resumo.t5.hub;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One download of a cache file at a time. Two fetches of the same model into the same cache (two
 * terminals, two jobs of a scheduler) both wrote {@code <file>.part}: the first renamed it into
 * place while the second still appended to it, and the cache held a file longer than the hub's
 * with the folder marked complete. The second now waits for the first and then uses its file, as
 * huggingface_hub does with its {@code .lock} files.
 *
 * <p>The lock is an OS file lock on {@code .<file>.lock} beside the file (hidden, so folder listings
 * do not show it; left in place, as deleting a lock file lets a third process lock a new one while
 * the second holds the old). The OS drops it however the holder ends, kill -9 included. The JVM's
 * file locks are per process (a second channel's lock throws), so threads of one process queue on
 * an in-process lock first.
 */
final class DownloadLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;

    private DownloadLock(ReentrantLock local, FileChannel channel) {
        this.local = local;
        this.channel = channel;
    }

    /** The lock file that guards {@code target}. */
    static Path lockFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".lock");
    }

    /**
     * Takes the lock for {@code target}, waiting (and saying so on {@code log}) while another thread
     * or process downloads it.
     *
     * @throws HubException LOCAL_IO when the lock file cannot be written, NETWORK when interrupted
     */
    static DownloadLock acquire(Path target, String what, PrintStream log) {
        Path file = lockFile(target);
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock());
        boolean announced = false;
        try {
            if (!local.tryLock()) {
                announced = announce(log, what, "another download in this process");
                local.lockInterruptibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.NETWORK, "download of " + what + " interrupted while waiting for another", e);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                if (!announced) announce(log, what, holder(file));
                channel.lock(); // blocks until the other process ends its download (or ends)
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new DownloadLock(local, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            local.unlock();
            String reason = e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
            throw new HubException(HubException.Kind.LOCAL_IO, "cannot lock " + file + " for the download of " + what
                    + " (" + reason + "); check that the cache folder is writable", e);
        }
    }

    private static boolean announce(PrintStream log, String what, String holder) {
        if (log != null) log.println("waiting for " + holder + " that is fetching " + what + " into the same cache");
        return true;
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.UTF_8).strip();
            return pid.matches("\\d+") ? "process " + pid : "another process";
        } catch (IOException e) {
            return "another process";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing releases the lock either way
        }
    }

    @Override
    public void close() {
        closeQuietly(channel); // releases the OS lock
        local.unlock();
    }
}
