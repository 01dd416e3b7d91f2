package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo summarize --input big.jsonl | head -1`: every summary used to be generated before the
 * first line was written, and the closed pipe was found only at the end. Lines now go out in the
 * input's order as soon as they and those before them are ready, and the work stops once the reader
 * has left.
 */
class SummarizeReaderGoneTest {
    @TempDir static Path dir;
    private static Path model;
    private static Path input;

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyRandomModel.create(dir);
        input = dir.resolve("in.jsonl");
        // Lengths that differ, so batches (longest first) finish out of the input's order; the first
        // row is the longest, so its line can go out with the first batch (a line waits for those before it).
        Files.writeString(input, IntStream.range(0, 12)
                .mapToObj(i -> "{\"text\": \"" + "O governo anunciou medidas. ".repeat(i == 0 ? 9 : 1 + (i * 5) % 7) + "\"}")
                .collect(Collectors.joining("\n")) + "\n");
    }

    private static String[] args() {
        return new String[] {"summarize", "--model", model.toString(), "--input", input.toString(), "--batch-size", "1",
                "--max-new-tokens", "3"};
    }

    /**
     * A pipe whose reader reads one line and exits. A failed write leaves its bytes in the stream's
     * buffer, which the next write offers again with more behind them: the largest offer holds every
     * line written after the reader left.
     */
    private static final class HeadOne extends OutputStream {
        private final ByteArrayOutputStream read = new ByteArrayOutputStream();
        private int linesOfferedAfter;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (read.toString(StandardCharsets.UTF_8).contains("\n")) {
                String offered = new String(b, off, len, StandardCharsets.UTF_8);
                linesOfferedAfter = Math.max(linesOfferedAfter, offered.split("\"summary\"", -1).length - 1);
                throw new IOException("Broken pipe");
            }
            read.write(b, off, len);
        }
    }

    @Test
    void theWorkStopsOnceTheReaderHasLeft() {
        HeadOne pipe = new HeadOne();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args(), StandardStream.utf8(pipe), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Main.BROKEN_PIPE, code, err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8), "quiet, as a tool killed by SIGPIPE");
        // The line whose write found the pipe closed, and no summary after it (all 11 were, before).
        assertEquals(1, pipe.linesOfferedAfter, "lines written after the reader left");
    }

    @Test
    void linesComeInTheInputsOrderAsFromOneBatch() {
        CliRun oneByOne = CliRun.run(args());
        assertEquals(0, oneByOne.code(), oneByOne.err());
        List<String> args = new java.util.ArrayList<>(List.of(args()));
        args.set(args.indexOf("--batch-size") + 1, "16");
        CliRun together = CliRun.run(args.toArray(String[]::new));
        assertEquals(0, together.code(), together.err());
        assertEquals(12, oneByOne.out().lines().count());
        assertEquals(together.out(), oneByOne.out(), "greedy summaries do not depend on the batch; the order is the input's");
    }
}
