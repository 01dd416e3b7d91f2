package dev.resumo.cli;

import dev.resumo.train.data.DataStreams;
import dev.resumo.train.data.Lines;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a text file line by line as UTF-8, through the dataset readers' {@link Lines}: a line ends at
 * '\n', "\r\n" or a lone '\r' (Python's universal newlines; this split on '\n' only, so a file with
 * classic Mac line ends was one long line), and a leading byte-order mark is skipped. Invalid UTF-8 is
 * either reported as a {@link UserError} naming the file, line and byte, or (when asked) replaced with
 * U+FFFD; it is never dropped silently.
 */
final class Utf8LineReader implements Closeable {
    private final Path file;
    private final InputStream in;
    private final Lines lines;
    private final boolean replaceInvalid;

    Utf8LineReader(Path file, boolean replaceInvalid) {
        this.file = file;
        this.replaceInvalid = replaceInvalid;
        if (Files.isDirectory(file)) throw new UserError("cannot read " + file + ": it is a directory, not a file");
        try {
            // A .jsonl.gz (gzip's magic bytes) is read through gunzip, as pandas and the dataset reader do: read
            // raw, its first byte was "invalid UTF-8" with advice to pass --replace-invalid.
            this.in = DataStreams.open(file);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + Messages.describe(e));
        }
        this.lines = new Lines(in, StandardCharsets.UTF_8);
    }

    /** The next line without its line ending, or null at the end of the file. */
    String next() {
        try {
            if (!lines.next()) return null;
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + Messages.describe(e));
        }
        if (lines.badEncoding() && !replaceInvalid) {
            throw new UserError(file + " line " + lines.number() + ": " + lines.encodingProblem()
                    + " (or pass --replace-invalid to read bad bytes as U+FFFD)");
        }
        return lines.text(); // with U+FFFD for the bad bytes of a bad line
    }

    int lineNumber() {
        return Math.toIntExact(lines.number());
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UserError("cannot close " + file + ": " + e.getMessage());
        }
    }
}
