package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `resumo bench compare` flag errors (the workloads themselves need minutes; see bench/README.md). */
class BenchCompareCommandTest {
    @Test
    void badFlagsAreOneLineUserErrors() {
        assertError(run("bench", "compare", "--size", "huge", "--no-torch"), "--size must be small or base, got 'huge'");
        assertError(run("bench", "compare", "--workloads", "greedy1,fly", "--no-torch"), "--workloads: unknown workload 'fly'");
        assertError(run("bench", "compare", "--workloads", ",", "--no-torch"), "--workloads: no workload given");
        assertError(run("bench", "compare", "--repeats", "0", "--no-torch"), "--repeats");
        assertError(run("bench", "compare", "--rounds", "0", "--no-torch"), "--rounds: must be ≥ 1, got 0");
        assertError(run("bench", "compare", "--rounds", "two", "--no-torch"), "--rounds: expected an integer, got 'two'");
        assertError(run("bench", "compare", "--python", "/nonexistent/python3"), "--python /nonexistent/python3 is not an executable file");
        assertError(run("bench", "compare", "--python", "/bin/sh", "--venv", "v"), "--python and --venv both");
        // A directory is "executable" (its search bit) but no Python: it failed only after the Resumo side ran.
        assertError(run("bench", "compare", "--python", System.getProperty("java.io.tmpdir")), "is not an executable file");
    }

    @Test
    void pairedNeedsPyTorchAndOneRound(@TempDir Path tmp) throws Exception {
        assertError(run("bench", "compare", "--paired", "--no-torch"), "--paired pairs PyTorch's runs with Resumo's; leave out --no-torch");
        assertError(run("bench", "compare", "--paired", "--rounds", "3"), "--paired and --rounds 3: give one");
        // An interpreter without torch: refused before the checkpoint is written or any workload runs.
        Path py = tmp.resolve("python3");
        Files.writeString(py, "#!/bin/sh\necho 'No module named torch' >&2; exit 1\n");
        Files.setPosixFilePermissions(py, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = tmp.resolve("model");
        assertError(run("bench", "compare", "--paired", "--python", py.toString(), "--model-dir", dir.toString(), "--workloads", "greedy1"),
                "bench compare --paired: --python " + py + " cannot import torch, transformers");
        assertTrue(!Files.exists(dir), "no checkpoint written");
    }

    @Test
    void ctranslate2WithADeviceIsRefusedBeforeAnyCheckpointIsWritten(@TempDir Path tmp) {
        org.junit.jupiter.api.Assumptions.assumeTrue(DeviceCommandsTest.openClPresent(), "no OpenCL device: skipped");
        Path dir = tmp.resolve("model");
        assertError(run("bench", "compare", "--ctranslate2", "--device", "opencl", "--model-dir", dir.toString(), "--no-torch"),
                "--ctranslate2 compares on the CPU; leave out --device");
        assertTrue(!Files.exists(dir), "no checkpoint written");
    }

    @Test
    void venvThatIsAFileIsRefusedBeforeTheResumoSideRuns(@TempDir Path tmp) throws Exception {
        Path venv = Files.writeString(tmp.resolve("venv-file"), "x");
        Path dir = tmp.resolve("model");
        assertError(run("bench", "compare", "--venv", venv.toString(), "--model-dir", dir.toString(), "--workloads", "greedy1"),
                "--venv " + venv + " is a file");
        assertTrue(!Files.exists(dir), "refused before the checkpoint is written");
    }

    @Test
    void modelDirThatCannotHoldACheckpointIsAUserError(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertError(run("bench", "compare", "--model-dir", file.toString(), "--no-torch", "--workloads", "greedy1"),
                "--model-dir " + file + " is a file, not a directory");
        Path under = file.resolve("sub");
        assertError(run("bench", "compare", "--model-dir", under.toString(), "--no-torch", "--workloads", "greedy1"),
                "--model-dir " + under + ": cannot write the checkpoint");
    }

    private static void assertError(Result r, String part) {
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains(part), r.err);
        assertTrue(!r.err.contains("\tat "), "no stack trace: " + r.err);
    }

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
