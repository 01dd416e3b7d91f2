package dev.resumo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.io.Dtype;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoadBenchmarkTest {
    @Test
    void shapesHaveThePublishedParameterCounts() {
        // model.num_parameters() of t5-small / t5-base (tied lm_head counted once).
        assertEquals(60_506_624L, T5Shapes.parameterCount(T5Shapes.config("small")));
        assertEquals(222_903_552L, T5Shapes.parameterCount(T5Shapes.config("base")));
    }

    @Test
    void reportsLoadTimeAndResidentMemoryFromAFreshJvm() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LoadBenchmark.run(new LoadBenchmark.Settings("tiny", Dtype.BF16, 1), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertTrue(report.contains("shape tiny: 1,"), report); // ~1.03M parameters
        assertTrue(report.matches("(?s).*load 1 \\(fresh JVM\\): [0-9.]+ s; VmRSS [0-9.]+ MiB.*VmHWM [0-9.]+ MiB.*"), report);
    }
}
