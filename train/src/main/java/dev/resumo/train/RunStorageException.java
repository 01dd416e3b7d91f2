package dev.resumo.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The run could not write (or read back) one of its files in the middle of training — a full disk,
 * a folder made read-only, a file removed under it. Not a bug to print a stack trace for: the
 * message names the file and the reason, the step the run stopped at and the last complete
 * checkpoint, from which {@code --resume auto} continues once the problem is fixed.
 */
public final class RunStorageException extends RuntimeException {
    private final long step;
    private final Path lastCheckpoint;
    private final boolean checkpointRemoved;

    private RunStorageException(String message, Throwable cause, long step, Path lastCheckpoint, boolean checkpointRemoved) {
        super(message, cause);
        this.step = step;
        this.lastCheckpoint = lastCheckpoint;
        this.checkpointRemoved = checkpointRemoved;
    }

    /**
     * @param failure an IOException or UncheckedIOException
     * @param step the optimizer steps done when it happened
     * @param lastCheckpoint the newest complete checkpoint (null when there is none yet)
     */
    static RunStorageException of(Throwable failure, long step, Path lastCheckpoint) {
        // The run folder removed under the run (rm -rf): naming its checkpoint as the one to continue
        // from, and sending the user to --resume auto (which would quietly start afresh), misled.
        boolean gone = lastCheckpoint != null && !Files.isDirectory(lastCheckpoint);
        String where = lastCheckpoint == null ? "there is no complete checkpoint yet"
                : gone ? "its last checkpoint " + lastCheckpoint + " is gone too: the run cannot be continued"
                : "the last complete checkpoint is " + lastCheckpoint;
        return new RunStorageException(describe(failure) + "; training stopped at step " + step + " (" + where + ")",
                failure, step, gone ? null : lastCheckpoint, gone);
    }

    /** True when the run's last checkpoint was removed while it ran: there is nothing to continue from. */
    public boolean checkpointRemoved() {
        return checkpointRemoved;
    }

    public long step() {
        return step;
    }

    /** The newest complete checkpoint when the run stopped, or null (none, or removed since). */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }

    /** "cannot write FILE: REASON" (or "file error on FILE: REASON") from what the file system said, whichever layer wrapped it. */
    static String describe(Throwable failure) {
        Throwable t = failure;
        if (t instanceof UncheckedIOException u) {
            // Safetensors' writer says "FILE: cannot write safetensors file: REASON".
            String m = firstLine(u.getMessage());
            int at = m.indexOf(": cannot write ");
            int reason = at < 0 ? -1 : m.indexOf(": ", at + 2);
            if (reason > 0) return "cannot write " + m.substring(0, at) + m.substring(reason);
            t = u.getCause() != null ? u.getCause() : u;
        }
        if (t instanceof FileSystemException f && f.getFile() != null) {
            String reason = f.getReason() != null ? f.getReason()
                    : f instanceof AccessDeniedException ? "permission denied"
                    : f instanceof NoSuchFileException ? "no such file or folder (removed while the run was going?)"
                    : f.getClass().getSimpleName();
            String file = f.getFile() + (f.getOtherFile() != null ? " → " + f.getOtherFile() : "");
            return (isWriteProblem(reason) ? "cannot write " : "file error on ") + file + ": " + reason;
        }
        String m = firstLine(t.getMessage());
        return (isWriteProblem(m) ? "cannot write the run's files: " : "file error: ") + m;
    }

    /** A full disk, a quota, a read-only or protected folder: reasons only a write meets. */
    private static boolean isWriteProblem(String reason) {
        String r = reason.toLowerCase(java.util.Locale.ROOT);
        return r.contains("space") || r.contains("quota") || r.contains("read-only") || r.contains("permission")
                || r.contains("denied") || r.contains("not permitted");
    }

    private static String firstLine(String s) {
        return s == null ? "unknown error" : s.lines().findFirst().orElse(s);
    }
}
