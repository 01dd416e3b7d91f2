package dev.resumo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainThroughputTest {
    @Test
    void timesRealOptimizerStepsAtTheTinyShape() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainThroughput.Result r = TrainThroughput.run(new TrainThroughput.Settings("tiny", 2, 16, 4, 3, 1),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertEquals(3, r.stepSeconds().length);
        for (double s : r.stepSeconds()) assertTrue(s > 0, report);
        assertEquals(3 * 2 / java.util.Arrays.stream(r.stepSeconds()).sum(), r.examplesPerSecond(), 1e-9);
        assertTrue(report.contains("examples/s") && report.contains("load average"), report);
        // The loss is finite and printed per step: the steps really ran forward + backward.
        assertTrue(report.matches("(?s).*timed step 3: [0-9.]+ s \\(loss [0-9.]+\\).*"), report);
    }
}
