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
 * Long commands whose output is only a log (train, demo) ask {@link #whenReaderGone} to hear at
 * once that the reader left (`resumo train ... | head -2`), instead of working on for minutes.
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

    /** The failure of a write to a pipe whose reader has gone (EPIPE): what a tool killed by SIGPIPE would have met. */
    static boolean isBrokenPipe(IOException e) {
        return e != null && "Broken pipe".equals(Messages.describe(e));
    }

    /**
     * Runs {@code action} (once, on the writing thread) when a write to {@code out} finds the reader
     * gone; nothing for a stream that is not a StandardStream (tests, embedders).
     */
    static void whenReaderGone(PrintStream out, Runnable action) {
        if (out instanceof StandardStream s) s.recorder.readerGone = action;
    }

    /** Keeps the first IOException on its way to the PrintStream, which keeps only a flag. */
    private static final class Recorder extends FilterOutputStream {
        private volatile IOException failure;
        private volatile Runnable readerGone;

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
            Runnable action = readerGone;
            if (action != null && isBrokenPipe(e)) {
                readerGone = null;
                action.run();
            }
            return e;
        }
    }
}
