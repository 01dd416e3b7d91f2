package dev.resumo.train.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** File operations that survive a crash: fsync'd writes and directory syncs, recursive delete. */
public final class Durable {
    private Durable() {}

    public static void writeString(Path file, String text) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var buf = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        } catch (IOException e) {
            throw naming(file, e);
        }
    }

    /**
     * {@code failure} as an exception that names {@code file}. A write that fails on a full disk
     * throws a bare IOException("No space left on device") that names no file (only opening,
     * renaming and deleting name theirs), and the run's one-line error must say which file it was.
     */
    public static IOException naming(Path file, IOException failure) {
        if (failure instanceof FileSystemException) return failure;
        FileSystemException named = new FileSystemException(file.toString(), null, failure.getMessage());
        named.initCause(failure);
        return named;
    }

    /**
     * Replaces {@code file} with {@code text} so that a reader, a crash or a full disk sees either the
     * old content or the new, never a cut-off file: the text goes to a temporary sibling, is fsync'd,
     * and is renamed over the file (the folder synced after). A failed write leaves the old file as it was.
     */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteAfterFailure(tmp, e);
            throw namingTarget(e, tmp, file);
        } catch (RuntimeException e) {
            deleteAfterFailure(tmp, e);
            throw e;
        }
        syncDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * A failure that names the temporary sibling of {@link #writeAtomically} as one that names the
     * file being replaced: ".run.json.tmp-4711: No space left on device" meant nothing to the user,
     * whose run.json it was (and who may look for the temporary file, already deleted).
     */
    private static IOException namingTarget(IOException failure, Path tmp, Path file) {
        if (!(failure instanceof FileSystemException fse) || !tmp.toString().equals(fse.getFile())) return failure;
        FileSystemException named = new FileSystemException(file.toString(), null, fse.getReason());
        named.initCause(fse);
        for (Throwable suppressed : fse.getSuppressed()) named.addSuppressed(suppressed);
        return named;
    }

    /**
     * After a write into {@code path} (a file or a folder) failed with {@code failure}: deletes what
     * it left, so a full disk gets its space back; a failure of that delete rides along on
     * {@code failure} (suppressed), which the caller rethrows — the first error is the one to report.
     */
    public static void deleteAfterFailure(Path path, Exception failure) {
        try {
            deleteRecursively(path);
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    /**
     * Appends {@code text} to {@code file} and fsyncs it before returning; a new file's folder entry
     * is synced too. For logs a checkpoint must not outlive: after a power cut, a checkpoint (fsync'd)
     * whose earlier metrics lines were still only in the page cache would resume a run that lost them.
     */
    public static void append(Path file, String text) throws IOException {
        boolean created = !Files.exists(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            var buf = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(false); // the data and the length; timestamps need not survive
        } catch (IOException e) {
            throw naming(file, e);
        }
        if (created) syncDirectory(file.toAbsolutePath().getParent());
    }

    /** Copies a file and fsyncs the copy. */
    public static void copy(Path from, Path to) throws IOException {
        Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * {@link Files#createDirectories}, with the name of each folder it made synced into the folder
     * above (top-down): a new folder's name is durable only once its parent is fsync'd, and without
     * that a power cut could take a new run folder away with every checkpoint in it, although each
     * checkpoint's own files and folder were synced.
     */
    public static Path createDirectories(Path dir) throws IOException {
        // A sync that fails here fails the save (syncDirectory throws): a checkpoint is only reported once durable.
        dev.resumo.engine.io.FileSync.createFolders(dir, Durable::syncDirectory);
        return dir;
    }

    /** Makes a directory's entries (new files, renames) durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories; the rename is still atomic there.
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) throw e;
        }
    }

    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) return;
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
