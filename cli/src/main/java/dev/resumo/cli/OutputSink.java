package dev.resumo.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a command writes its JSON lines: --output FILE, or standard output. */
final class OutputSink {
    private OutputSink() {}

    static PrintStream open(String output, PrintStream stdout) {
        if (output == null || output.equals("-")) return stdout;
        Path p = Path.of(output);
        if (p.getParent() != null && !Files.isDirectory(p.getParent())) {
            throw new UserError("--output " + output + ": directory " + p.getParent() + " does not exist");
        }
        try {
            OutputStream out = Files.newOutputStream(p);
            return new PrintStream(out, false, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("--output " + output + ": cannot write (" + e.getMessage() + ")");
        }
    }
}
