package dev.resumo.cli;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output or error as the commands print to it: UTF-8 whatever the locale, and remembering
 * why a write failed. The JVM's own System.out encodes with the locale's charset, so under LANG=C
 * every non-ASCII character of a JSON line became '?' (JSON lines are UTF-8 by definition); and a
 * PrintStream swallows write errors, so `resumo ... > /dev/full` lost its output and exited 0.
 * {@link Main} checks {@link #checkError()} after the command and names {@link #failure()}.
 */
final class StandardStream extends PrintStream {
    private final Recorder recorder;

    private StandardStream(Recorder recorder) {
        // Flushed at every println, as System.out is, so lines and stderr messages keep their order.
        super(new BufferedOutputStream(recorder, 8192), true, StandardCharsets.UTF_8);
        this.recorder = recorder;
    }

    /** A UTF-8 stream over {@code sink} (FileOutputStream(FileDescriptor.out) for standard output). */
    static StandardStream utf8(OutputStream sink) {
        return new StandardStream(new Recorder(sink));
    }

    /** The first write or flush error, or null when none happened. */
    IOException failure() {
        return recorder.failure;
    }

    /** Keeps the first IOException on its way to the PrintStream, which keeps only a flag. */
    private static final class Recorder extends FilterOutputStream {
        private volatile IOException failure;

        Recorder(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw remember(e);
            }
        }

        private IOException remember(IOException e) {
            if (failure == null) failure = e;
            return e;
        }
    }
}
