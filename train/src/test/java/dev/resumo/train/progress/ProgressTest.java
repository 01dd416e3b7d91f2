package dev.resumo.train.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void plainLinesEveryLogStepsAndAtTheEnd() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new PlainProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), 10);
        for (int step = 1; step <= 25; step++) p.step(step, 25, 2.5, 1e-3, 1000, 25 - step);
        String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(3, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("step 10/25  loss 2.5000  lr 0.00100  1000 tok/s  eta 00:15"), lines[0]);
        assertTrue(lines[2].startsWith("step 25/25"), lines[2]);
        assertTrue(!buf.toString(StandardCharsets.UTF_8).contains("\r"), "no carriage returns in logs");
    }

    @Test
    void terminalBarRedrawsInPlaceAndMessagesClearIt() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new TerminalProgress(new PrintStream(buf, true, StandardCharsets.UTF_8));
        p.step(7, 14, 3.25, 2e-3, 512, 90);
        p.message("step 7: eval_loss 3.0");
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\r[##############--------------] 7/14 loss 3.2500"), out);
        assertTrue(out.contains("eta 01:30"), out);
        assertTrue(out.contains("\r\033[2Kstep 7: eval_loss 3.0\n"), out);
    }
}
