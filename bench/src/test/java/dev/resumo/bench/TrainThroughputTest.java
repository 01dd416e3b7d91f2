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

    @Test
    void variedLengthsGiveBatchesOfManyShapesNoLongerThanTheLimits() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainThroughput.run(new TrainThroughput.Settings("tiny", 4, 24, 6, 8, 0, true, false),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        java.util.Set<String> shapes = new java.util.HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("batch (\\d+) × (\\d+) → (\\d+)").matcher(report);
        while (m.find()) {
            assertTrue(Integer.parseInt(m.group(1)) <= 4 && Integer.parseInt(m.group(2)) <= 24 && Integer.parseInt(m.group(3)) <= 6, report);
            shapes.add(m.group(2) + "/" + m.group(3));
        }
        assertTrue(shapes.size() >= 4, "8 steps of padded random lengths have several shapes: " + shapes);
        assertTrue(report.contains("% reused") && report.contains("MiB of heap a step"), report);
    }
}
