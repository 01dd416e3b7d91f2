package dev.resumo.cli;

import dev.resumo.engine.io.FileSync;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.cli.CommandLine;

/**
 * Where a command writes its lines: standard output, or a file. A file is written to a temporary
 * file beside it and moved into place only by {@link #commit()}, so a failing command leaves an
 * existing file untouched and no temporary file behind. The checks run in {@link #prepare}, before
 * any work: an existing file needs --force, an input file is never an output, and a missing folder,
 * a parent that is a file or an output that is a folder, device or pipe are refused. An output that
 * is a symbolic link is written through: the file it names gets the new contents.
 */
final class OutputSink implements AutoCloseable {
    private final PrintStream stdout;
    /** "--output FILE" as the user wrote it, for messages. */
    private final String name;
    private final Path target;
    private Path temp;
    private PrintStream stream;
    private boolean committed;

    private OutputSink(PrintStream stdout, String name, Path target) {
        this.stdout = stdout;
        this.name = name;
        this.target = target;
    }

    /**
     * Checks the output named by {@code --flag} (absent or "-": standard output) against --force and
     * against the files named by {@code inputFlags}; nothing is written yet.
     */
    static OutputSink prepare(CommandLine line, String flag, PrintStream stdout, String... inputFlags) {
        String output = line.getOptionValue(flag);
        if (output == null || output.equals("-")) return new OutputSink(stdout, null, null);
        return new OutputSink(stdout, "--" + flag + " " + output, checkedFile(line, flag, inputFlags));
    }

    /**
     * The file {@code --flag} names, checked as {@link #prepare} does, for commands that write it
     * themselves (convert): the file to replace, with a symbolic link followed to the file it names.
     * The finished file is moved over that target, so the link stays and its target gets the new
     * contents, as shell redirection writes through a link; replacing the link instead left the file
     * it pointed to stale.
     */
    static Path checkedFile(CommandLine line, String flag, String... inputFlags) {
        String output = line.getOptionValue(flag);
        Path given = Path.of(output);
        String name = "--" + flag + " " + output;
        if (Files.isDirectory(given)) throw new UserError(name + " is a directory; give a file name");
        // A device or pipe would be replaced by the moved file, not written to. Checked before the
        // links are followed: /dev/stdout leads to /proc/self/fd/1, whose "target" is no path.
        if (Files.exists(given) && !Files.isRegularFile(given)) throw new UserError(name + " is not a regular file; give a file name");
        Path target = followLinks(given, name);
        Path parent = target.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError(name + ": " + (Files.exists(parent) ? parent + " is not a directory" : "directory " + parent + " does not exist"));
        }
        if (Files.exists(target)) {
            for (String in : inputFlags) {
                String value = line.getOptionValue(in);
                if (value != null && sameFile(target, Path.of(value))) {
                    throw new UserError(name + " is the same file as --" + in + " " + value + "; write to another file");
                }
            }
            if (!line.hasOption("force")) throw new UserError(name + " already exists; add --force to replace it");
        }
        return target;
    }

    /** {@code path} made absolute, with the symbolic links at its end followed (a dangling one too: the file is created). */
    private static Path followLinks(Path path, String name) {
        Path p = path.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == 40) throw new UserError(name + ": too many levels of symbolic links");
            try {
                // A relative link is relative to the link's folder; not normalized, so ".." in it
                // still means what the kernel makes of it.
                p = p.resolveSibling(Files.readSymbolicLink(p));
            } catch (IOException e) {
                throw new UserError(name + ": cannot read the symbolic link " + p + " (" + Messages.describe(e) + ")");
            }
        }
        return p;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The stream to print to; for a file, the temporary file (created on first use). */
    PrintStream stream() {
        if (target == null) return stdout;
        if (stream == null) {
            Path dir = target.getParent();
            String base = "." + target.getFileName() + ".";
            for (int attempt = 0; stream == null; attempt++) {
                Path candidate = dir.resolve(base + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
                try {
                    // CREATE_NEW (not createTempFile) so the file gets the usual permissions, not 0600.
                    stream = new PrintStream(new BufferedOutputStream(Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE), 1 << 16), false, StandardCharsets.UTF_8);
                    temp = candidate;
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (attempt > 10) throw new UserError(name + ": cannot create a temporary file in " + dir);
                } catch (IOException e) {
                    throw new UserError(name + ": cannot write in " + dir + " (" + Messages.describe(e) + ")");
                }
            }
        }
        return stream;
    }

    /** Flushes; for a file, moves the finished temporary file over the output. */
    void commit() {
        if (target == null) {
            stdout.flush();
            return;
        }
        PrintStream s = stream();
        s.close();
        if (s.checkError()) throw new UserError(name + ": writing failed (disk full?); the file was left as it was");
        // fsync'd before the rename: a power cut must leave the old output or the whole new one, never
        // the new name on a file the disk had not received yet (empty or zeros after it).
        try {
            FileSync.file(temp);
        } catch (IOException e) {
            throw new UserError(name + ": cannot write the finished file to disk (" + Messages.describe(e) + "); the file was left as it was");
        }
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UserError(name + ": cannot move the finished file into place (" + Messages.describe(e) + ")");
        }
        FileSync.folder(target.toAbsolutePath().getParent()); // the new name, durable
        committed = true;
    }

    /** Without a commit, drops the temporary file: the output stays as it was. */
    @Override
    public void close() {
        if (target == null || committed || stream == null) return;
        stream.close();
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // The command is failing already; its own error is the one to show.
        }
    }
}
