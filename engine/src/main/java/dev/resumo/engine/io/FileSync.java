package dev.resumo.engine.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The two fsyncs a write that must survive a power cut takes: the file's bytes before it is renamed
 * into place (else its final name can stand on bytes the disk never received), and its folder after
 * (else the new name itself can be lost). Checked under strace by the CLI's PowerCutDurabilityTest.
 */
public final class FileSync {
    private FileSync() {}

    /** fsync of a written file's bytes. */
    public static void file(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * fsync of a folder, so the names made in it (new files, renames) are durable. Some file systems
     * (and Windows) cannot open a folder: there the rename stands and its durability is the OS's.
     */
    public static void folder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir.toAbsolutePath(), StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // see above: nothing more can be done from Java
        }
    }

    /**
     * {@link Files#createDirectories}, then an fsync of the parent of every folder it made, top down:
     * a file later synced into the deepest folder is only durable if each new folder's own name is
     * (a download's cache folders: else a power cut could lose the folder, and the download with it).
     */
    public static void createFolders(Path dir) throws IOException {
        createFolders(dir, FileSync::folder);
    }

    /** How a folder is synced: {@link #folder} (best effort), or a caller's stricter one that throws. */
    @FunctionalInterface
    public interface FolderSync {
        void sync(Path folder) throws IOException;
    }

    /** {@link #createFolders(Path)} with {@code sync} syncing each new folder's parent. */
    public static void createFolders(Path dir, FolderSync sync) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path at = target; at != null && !Files.isDirectory(at); at = at.getParent()) missing.push(at);
        Files.createDirectories(target);
        for (Path made : missing) sync.sync(made.getParent());
    }
}
