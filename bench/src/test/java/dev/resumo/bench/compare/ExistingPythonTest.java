package dev.resumo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bench compare --python`: an interpreter the user has is used as it is (no venv, nothing
 * installed), with the script copied outside its tree; one that cannot import the modules is a
 * clear failure. A shell script stands in for Python: it answers the import check and prints what
 * bench_compare_torch.py prints.
 */
class ExistingPythonTest {
    private static Path fakePython(Path dir, boolean importsWork) throws Exception {
        Path py = dir.resolve("bin").resolve("python3");
        Files.createDirectories(py.getParent());
        String json = "{\"torch\": \"9.9\", \"transformers\": \"1.0\", \"threads\": 2, \"results\": "
                + "{\"greedy1\": {\"seconds\": 0.5, \"units\": 64, \"peak_rss_mib\": 900, \"best_seconds\": 0.45}}}";
        Files.writeString(py, "#!/bin/sh\n"
                + "if [ \"$1\" = \"-c\" ]; then " + (importsWork ? "exit 0" : "echo 'No module named torch' >&2; exit 1") + "; fi\n"
                + "case \"$1\" in */bench_compare_torch.py) ;; *) echo \"unexpected script $1\" >&2; exit 3;; esac\n"
                + "[ -f \"$(dirname \"$1\")/bench_compare_common.py\" ] || { echo 'module not copied beside the script' >&2; exit 4; }\n"
                + "[ -f \"$(dirname \"$1\")/bench_compare_torch_workloads.py\" ] || { echo 'workloads module not copied' >&2; exit 5; }\n"
                + "echo '" + json + "'\n");
        Files.setPosixFilePermissions(py, PosixFilePermissions.fromString("rwxr-xr-x"));
        return py;
    }

    @Test
    void anExistingInterpreterIsUsedWithoutAVenvOrWritesIntoItsTree(@TempDir Path tmp) throws Exception {
        Path py = fakePython(tmp.resolve("conda"), true);
        Path venv = tmp.resolve("never-made");
        TorchSide.Outcome o = TorchSide.measure(venv, py, tmp.resolve("model"), 2, 1, List.of("greedy1"), "cpu",
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertNull(o.failure(), o.failure());
        assertEquals("torch 9.9, transformers 1.0, 2 threads", o.versions());
        assertArrayEquals(new double[] {0.5, 64, 900, 0.45}, o.results().get("greedy1"));
        assertTrue(Files.notExists(venv), "no venv was made");
        try (var files = Files.list(tmp.resolve("conda"))) {
            assertEquals(List.of(tmp.resolve("conda").resolve("bin")), files.toList(), "nothing copied into the interpreter's tree");
        }
    }

    @Test
    void anInterpreterWithoutTorchIsAClearFailure(@TempDir Path tmp) throws Exception {
        Path py = fakePython(tmp, false);
        TorchSide.Outcome o = TorchSide.measure(tmp.resolve("venv"), py, tmp.resolve("model"), 2, 1, List.of("greedy1"), "cpu",
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertTrue(o.failure() != null && o.failure().contains("cannot import torch, transformers"), String.valueOf(o.failure()));
        assertTrue(o.results().isEmpty());
    }
}
