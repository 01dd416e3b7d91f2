package dev.resumo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol of `bench compare --paired`'s PyTorch worker, against a stand-in worker run with the
 * system python3 (no torch needed): it speaks the same lines and sleeps a fixed 50 ms per run, or
 * misbehaves the way a real worker can (dies, answers an error, prints something else, hangs).
 */
class PairedWorkerTest {
    private static final String FAKE = """
            import json, sys, time
            mode = sys.argv[1]
            def reply(**f):
                print(json.dumps(f), flush=True)
            if mode == "no-ready":
                print("Loading checkpoint shards...", flush=True)
                sys.exit(0)
            reply(ready=True, torch="9.9", transformers="1.0", threads=2, device="cpu")
            runs = 0
            for line in sys.stdin:
                w = line.split()
                if w[0] == "prepare":
                    if mode == "ct2" and w[1] == "train":
                        reply(skipped="train")
                        continue
                    if mode == "error":
                        reply(error="ModuleNotFoundError: No module named 'transformers.optimization'")
                        sys.exit(1)
                    reply(prepared=w[1], units=8 if w[1] == "train" else 64, warmup_seconds=0.1)
                elif w[0] == "run":
                    runs += 1
                    if mode == "die-on-run-3" and runs == 3:
                        sys.exit(3)
                    if mode == "garbage":
                        print("hello", flush=True)
                        continue
                    if mode == "hang":
                        time.sleep(30)
                    t0 = time.perf_counter()
                    time.sleep(0.05)
                    reply(seconds=time.perf_counter() - t0)
                elif w[0] == "finish":
                    reply(peak_rss_mib=123.5)
                elif w[0] == "quit":
                    sys.exit(0)
            """;

    private static PairedWorker fake(Path dir, String mode, Duration timeout) throws Exception {
        Path script = Files.writeString(dir.resolve("fake_worker.py"), FAKE);
        Process p = new ProcessBuilder("python3", script.toString(), mode).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new PairedWorker("PyTorch", p, timeout);
    }

    @Test
    void aWorkerAnswersPrepareRunAndFinish(@TempDir Path tmp) throws Exception {
        try (PairedWorker w = fake(tmp, "ok", Duration.ofSeconds(30))) {
            assertEquals("torch 9.9, transformers 1.0, 2 threads", w.versions());
            assertEquals(64, w.prepare("greedy8").units());
            double s = w.run();
            assertTrue(s >= 0.05 && s < 1.0, "the worker's own timing of its 50 ms run: " + s);
            assertEquals(123.5, w.finish());
        }
    }

    @Test
    void pairedTorchPairsEachTorchRunWithTheResumoRunAfterIt(@TempDir Path tmp) throws Exception {
        List<String> log = new ArrayList<>();
        try (PairedSide paired = new PairedSide(fake(tmp, "ok", Duration.ofSeconds(30)), "torch", log::add)) {
            double[] resumo = {0.025, 0.0125, 0.05};
            paired.prepare("train");
            for (int i = 0; i < resumo.length; i++) {
                paired.beforeRun("train", i);
                paired.afterRun("train", i, resumo[i]);
            }
            paired.finish("train");
            assertNull(paired.failure());
            PairedRuns p = paired.pairs().get("train");
            assertArrayEquals(resumo, p.resumoSeconds(), 0);
            for (int i = 0; i < resumo.length; i++) {
                assertEquals(p.torchSeconds()[i] / resumo[i], p.ratios()[i], 1e-12);
                assertTrue(p.torchSeconds()[i] >= 0.05, "torch run " + i + ": " + p.torchSeconds()[i]);
            }
            double[] t = paired.results().get("train");
            assertArrayEquals(new double[] {p.torchMedian(), 8, 123.5, p.torchBest()}, t, 0);
            assertEquals(3, log.stream().filter(l -> l.startsWith("torch train run ")).count(), String.valueOf(log));
        }
    }

    @Test
    void aWorkerThatDiesKeepsTheFinishedWorkloadsAndNamesWhereItStopped(@TempDir Path tmp) throws Exception {
        try (PairedSide paired = new PairedSide(fake(tmp, "die-on-run-3", Duration.ofSeconds(30)), "torch", l -> {})) {
            for (String workload : List.of("greedy1", "greedy8", "train")) {
                paired.prepare(workload);
                for (int i = 0; i < 2; i++) {
                    paired.beforeRun(workload, i);
                    paired.afterRun(workload, i, 0.05);
                }
                paired.finish(workload);
            }
            assertEquals(List.of("greedy1"), List.copyOf(paired.results().keySet()));
            assertEquals(List.of("greedy1"), List.copyOf(paired.pairs().keySet()));
            assertEquals("PyTorch worker exited (status 3) before answering 'run' (its stderr is above) (workload greedy8)",
                    paired.failure());
        }
    }

    @Test
    void aSkippedWorkloadHasNoFiguresAndTheSidesRunInTurn(@TempDir Path tmp) throws Exception {
        List<String> order = new ArrayList<>();
        Path other = Files.createDirectories(tmp.resolve("other"));
        try (PairedSide torch = new PairedSide(fake(tmp, "ok", Duration.ofSeconds(30)), "torch", order::add);
             PairedSide ct2 = new PairedSide(fake(other, "ct2", Duration.ofSeconds(30)), "ct2", order::add)) {
            BesideRuns both = BesideRuns.inTurn(torch, ct2);
            for (String workload : List.of("greedy1", "train")) {
                both.prepare(workload);
                for (int i = 0; i < 2; i++) {
                    both.beforeRun(workload, i);
                    order.add("resumo " + workload + " run " + (i + 1));
                    both.afterRun(workload, i, 0.05);
                }
                both.finish(workload);
            }
            assertEquals(List.of("greedy1", "train"), List.copyOf(torch.results().keySet()));
            assertEquals(List.of("greedy1"), List.copyOf(ct2.results().keySet()), "CTranslate2 skips the training step");
            assertNull(ct2.failure());
            assertEquals(List.of("torch greedy1 run 1", "ct2 greedy1 run 1", "resumo greedy1 run 1",
                    "torch greedy1 run 2", "ct2 greedy1 run 2", "resumo greedy1 run 2"),
                    order.subList(0, 6).stream().map(l -> l.replaceAll(": .*", "")).toList());
            assertEquals(List.of("torch train run 1", "resumo train run 1", "torch train run 2", "resumo train run 2"),
                    order.subList(6, 10).stream().map(l -> l.replaceAll(": .*", "")).toList());
        }
    }

    @Test
    void anErrorReplyIsOneLineNamingTheCommand(@TempDir Path tmp) throws Exception {
        try (PairedWorker w = fake(tmp, "error", Duration.ofSeconds(30))) {
            PairedWorker.Failed e = assertThrows(PairedWorker.Failed.class, () -> w.prepare("train"));
            assertEquals("PyTorch worker failed at 'prepare train': ModuleNotFoundError: No module named 'transformers.optimization'",
                    e.getMessage());
        }
    }

    @Test
    void somethingOtherThanItsProtocolIsAFailure(@TempDir Path tmp) throws Exception {
        try (PairedWorker w = fake(tmp, "garbage", Duration.ofSeconds(30))) {
            w.prepare("greedy1");
            PairedWorker.Failed e = assertThrows(PairedWorker.Failed.class, w::run);
            assertEquals("PyTorch worker: answered 'run' with 'hello', not a JSON reply", e.getMessage());
        }
        PairedWorker.Failed e = assertThrows(PairedWorker.Failed.class, () -> fake(tmp, "no-ready", Duration.ofSeconds(30)));
        assertEquals("PyTorch worker: answered 'start' with 'Loading checkpoint shards...', not a JSON reply", e.getMessage());
    }

    @Test
    void aHungWorkerIsStoppedAfterTheTimeout(@TempDir Path tmp) throws Exception {
        try (PairedWorker w = fake(tmp, "hang", Duration.ofMillis(500))) {
            w.prepare("greedy1");
            long t0 = System.nanoTime();
            PairedWorker.Failed e = assertThrows(PairedWorker.Failed.class, w::run);
            assertEquals("PyTorch worker: no answer to 'run' in 0.5 s (stopped it)", e.getMessage());
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "did not wait for the 30 s run");
        }
    }

    /**
     * The real worker scripts with a Python that cannot import torch or ctranslate2 (python3 -E -s
     * -S: no site packages): a one-line failure at start, as with a venv that lacks them.
     */
    @Test
    void theRealWorkersWithoutTheirRuntimeFailAtStartInOneLine(@TempDir Path tmp) throws Exception {
        Path py = tmp.resolve("python-without-site-packages");
        Files.writeString(py, "#!/bin/sh\nexec python3 -E -s -S \"$@\"\n");
        Files.setPosixFilePermissions(py, PosixFilePermissions.fromString("rwxr-xr-x"));
        PairedWorker.Failed e = assertThrows(PairedWorker.Failed.class, () -> PairedWorker.torch(py, tmp.resolve("model"), 2, "cpu"));
        assertEquals("PyTorch worker failed at 'start': ModuleNotFoundError: No module named 'torch'", e.getMessage());
        e = assertThrows(PairedWorker.Failed.class, () -> PairedWorker.ctranslate2(py, tmp.resolve("model"), 2));
        assertEquals("CTranslate2 worker failed at 'start': ModuleNotFoundError: No module named 'ctranslate2'", e.getMessage());
    }
}
