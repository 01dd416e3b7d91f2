package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose tensors pass 2^31-1 elements is a one-line error naming the shape and the way out,
 * not "internal error" and a stack trace: 16 texts of 8192 tokens give the tiny model's encoder
 * attention scores of [16, 4, 8192, 8192], 4.3·10⁹ floats, on the CPU and on OpenCL alike.
 */
class BatchPastTheTensorLimitTest {
    private static Path shared(String... parts) {
        String root = System.getProperty("resumo.shared");
        return root == null ? null : Path.of(root, parts);
    }

    private static CliRun summarizeTooMuch(Path tmp, String device) throws Exception {
        Path model = shared("golden", "t5-v1_1-tiny"), spiece = shared("models", "ptt5-portuguese-vocab", "spiece.model");
        assumeTrue(model != null && Files.isRegularFile(model.resolve("model.safetensors")) && Files.isRegularFile(spiece),
                "../shared golden model or PTT5 spiece.model absent: skipped");
        String text = "palavra ".repeat(9000); // past 8192 tokens: every text is cut to --max-source-length
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 16; i++) rows.add("{\"text\": \"" + text.strip() + "\"}");
        Path input = tmp.resolve("long.jsonl");
        Files.write(input, rows);
        return CliRun.run("summarize", "--model", model.toString(), "--tokenizer", spiece.toString(), "--input", input.toString(),
                "--batch-size", "16", "--max-source-length", "8192", "--max-new-tokens", "1", "--device", device);
    }

    private static void assertOneLineAboutTheLimit(CliRun r, String device) {
        assertEquals(1, r.code(), device + ": " + r.err());
        String err = r.err().lines().filter(l -> !l.startsWith("device: ") && !l.startsWith("WARNING")).reduce("", (a, b) -> a + b + "\n");
        assertTrue(err.contains("[16, 4, 8192, 8192]") && err.contains("more than 2^31-1 elements")
                && err.contains("smaller batch or sequence length"), device + ": " + err);
        assertFalse(err.contains("internal error") || err.contains("\tat "), device + ": no stack trace: " + err);
        assertEquals(1, err.lines().count(), device + ": one line: " + err);
    }

    @Test
    void onTheCpu(@TempDir Path tmp) throws Exception {
        assertOneLineAboutTheLimit(summarizeTooMuch(tmp, "cpu"), "cpu");
    }

    @Test
    @Tag("opencl")
    void onOpenCl(@TempDir Path tmp) throws Exception {
        assumeTrue(DeviceCommandsTest.openClPresent(), "no OpenCL device (install pocl-opencl-icd): skipped");
        System.setProperty("resumo.opencl.gemm", "32,32,16,2,2"); // fixed tiles: no tuning run from a test
        try {
            assertOneLineAboutTheLimit(summarizeTooMuch(tmp, "opencl:0:0"), "opencl:0:0");
        } finally {
            System.clearProperty("resumo.opencl.gemm");
        }
    }
}
