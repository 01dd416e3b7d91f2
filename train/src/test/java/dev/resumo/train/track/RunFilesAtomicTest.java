package dev.resumo.train.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.train.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run.json and metrics.jsonl are rewritten while a run goes on (each status change; a resume trims
 * the metrics). Written in place — truncated, then filled — a crash, a full disk or a kill between
 * the two left them empty or cut: the run's start time, resume history or every metric so far lost.
 * Whoever reads them while they are rewritten (a person, a dashboard, a kill -9 at that moment)
 * must see the old content or the new, whole.
 */
class RunFilesAtomicTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void runJsonIsNeverSeenHalfWritten(@TempDir Path run) throws Exception {
        LocalTracker tracker = new LocalTracker(run);
        tracker.start(Map.of());
        for (int i = 0; i < 400; i++) tracker.artifacts(run.resolve("artifact-with-a-long-name-" + i)); // a run.json of ~20 KB
        AtomicBoolean done = new AtomicBoolean();
        List<String> torn = new ArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                try {
                    JsonNode n = JSON.readTree(Files.readString(run.resolve(LocalTracker.RUN)));
                    if (n == null || n.path("artifacts").size() != 400) torn.add(n == null ? "empty" : "artifacts " + n.path("artifacts").size());
                } catch (IOException e) {
                    torn.add(e.getMessage().lines().findFirst().orElse(""));
                }
                reads.incrementAndGet();
            }
        });
        for (int i = 0; i < 80; i++) tracker.end(i % 2 == 0 ? "RUNNING" : "FINISHED");
        done.set(true);
        reader.join();
        assertTrue(reads.get() > 20, "the reader looked often enough: " + reads.get());
        assertEquals(List.of(), torn.stream().distinct().limit(5).toList(), "reads of a half-written run.json out of " + reads.get());
    }

    @Test
    void trimmingTheMetricsOnResumeNeverLeavesThemCut(@TempDir Path root) throws Exception {
        RunDirectory run = new RunDirectory(root);
        StringBuilder lines = new StringBuilder();
        for (int step = 1; step <= 2000; step++) lines.append("{\"step\":").append(step).append(",\"loss\":1.5}\n");
        Files.writeString(run.metrics(), lines);
        AtomicBoolean done = new AtomicBoolean();
        List<Integer> seen = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                try {
                    seen.add((int) Files.readAllLines(run.metrics()).stream().filter(l -> !l.isBlank()).count());
                } catch (IOException e) {
                    seen.add(-1);
                }
            }
        });
        for (long keep = 2000; keep > 1900; keep--) run.trimMetricsAfter(keep);
        done.set(true);
        reader.join();
        assertEquals(1901, Files.readAllLines(run.metrics()).size());
        // Every look saw one whole version: between 1901 and 2000 lines, never an emptied or cut file.
        assertTrue(seen.stream().allMatch(n -> n >= 1901 && n <= 2000),
                "reads of a cut metrics.jsonl: " + seen.stream().filter(n -> n < 1901 || n > 2000).distinct().limit(5).toList());
    }
}
