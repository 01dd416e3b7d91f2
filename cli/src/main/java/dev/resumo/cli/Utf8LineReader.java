package dev.resumo.cli;

import dev.resumo.train.data.DataStreams;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a text file line by line as UTF-8. Invalid UTF-8 is either reported as a {@link UserError}
 * naming the file, line and byte, or (when asked) replaced with U+FFFD; it is never dropped silently.
 */
final class Utf8LineReader implements Closeable {
    private final Path file;
    private final InputStream in;
    private final CharsetDecoder decoder;
    private final boolean replaceInvalid;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
    private int lineNumber;

    Utf8LineReader(Path file, boolean replaceInvalid) {
        this.file = file;
        this.replaceInvalid = replaceInvalid;
        CodingErrorAction action = replaceInvalid ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT;
        this.decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(action).onUnmappableCharacter(action);
        if (Files.isDirectory(file)) throw new UserError("cannot read " + file + ": it is a directory, not a file");
        try {
            // A .jsonl.gz (gzip's magic bytes) is read through gunzip, as pandas and the dataset reader do: read
            // raw, its first byte was "invalid UTF-8" with advice to pass --replace-invalid.
            this.in = new BufferedInputStream(DataStreams.open(file), 1 << 16);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + Messages.describe(e));
        }
    }

    /** The next line without its line ending, or null at the end of the file. */
    String next() {
        line.reset();
        try {
            int b = in.read();
            if (b < 0) return null;
            while (b >= 0 && b != '\n') {
                line.write(b);
                b = in.read();
            }
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + Messages.describe(e));
        }
        lineNumber++;
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        // A UTF-8 byte-order mark (EF BB BF) at the start of the file is an encoding marker, not text.
        int start = lineNumber == 1 && length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        try {
            return decoder.reset().decode(ByteBuffer.wrap(bytes, start, length - start)).toString();
        } catch (CharacterCodingException e) {
            throw new UserError(file + " line " + lineNumber + ": invalid UTF-8 at byte " + firstInvalid(bytes, length)
                    + " of the line (fix the file: a Latin-1 or Windows-1252 one converts with iconv -f windows-1252 -t utf-8;"
                    + " or pass --replace-invalid to read bad bytes as U+FFFD)");
        }
    }

    int lineNumber() {
        return lineNumber;
    }

    boolean replacesInvalid() {
        return replaceInvalid;
    }

    private static int firstInvalid(byte[] bytes, int length) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder();
        for (int end = 1; end <= length; end++) {
            try {
                strict.reset().decode(ByteBuffer.wrap(bytes, 0, end));
            } catch (CharacterCodingException e) {
                // A prefix ending mid-character also fails; the error is where a longer prefix cannot help.
                if (end == length || !isContinuationPossible(bytes, end, length)) return end - 1;
            }
        }
        return length;
    }

    private static boolean isContinuationPossible(byte[] bytes, int end, int length) {
        return end < length && (bytes[end] & 0xC0) == 0x80;
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
