package dev.resumo.cli;

import java.io.PrintStream;

/**
 * Lines that become ready out of order (summaries come batch by batch, longest texts first) printed
 * in their input order as soon as every line before them is ready: a long `summarize --input` shows
 * its output as it goes, and a reader that leaves early (`| head`) is noticed while work remains.
 */
final class InOrderLines {
    private final PrintStream out;
    private final String[] ready;
    private int next;

    InOrderLines(PrintStream out, int count) {
        this.out = out;
        this.ready = new String[count];
    }

    /** Line {@code index} is ready; prints it and those after it that were waiting for it. */
    void put(int index, String line) {
        ready[index] = line;
        while (next < ready.length && ready[next] != null) {
            out.println(ready[next]);
            ready[next++] = null; // printed: not kept twice
        }
    }
}
