package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.resumo.train.run.RunLock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power cut loses nothing `resumo train` said it saved. kill -9 (KilledRunResumeTest,
 * TrainResumeExactTest) leaves the page cache alone, so it cannot show a missing fsync; here a real
 * run is traced by strace and its file operations are checked against what a file system keeps
 * after a power cut ({@link StraceDurability}): each checkpoint, from the moment it is published
 * (renamed into place and its folder synced), with every file in it and every folder above it up to
 * the output folder's parent; and, when the command exits, every file it wrote into the run folder.
 * With MLFLOW_TRACKING_URI set (as in CI), the run reports to MLflow and its mlflow-run.json is
 * checked too (it was the one file CI found not fsync'd).
 * Also: an output file (summarize --output) replaced over an old one, and a hub download under its
 * cached name, never stand on bytes the disk has not received, and the download's cache folders
 * (made by the run) are durable when it exits.
 */
class PowerCutDurabilityTest {
    @Test
    void everyCheckpointAndEveryFileOfTheRunSurvivesAPowerCutOnceWritten(@TempDir Path tmp) throws Exception {
        assumeTrue(straceWorks(tmp), "strace is missing or cannot trace here (apt-get install strace; .ci/run installs it): skipped");
        TinyTrainRun setup = TinyTrainRun.create(tmp, """
                {"max-source-length": 32, "max-target-length": 8, "batch-size": 4, "max-steps": 6, "eval-steps": 3,
                 "save-steps": 2, "keep-checkpoints": 100, "log-steps": 1, "max-new-tokens": 2, "eval-max-examples": 2, "seed": 3}""");
        Path run = tmp.resolve("run");
        Path log = tmp.resolve("strace.log");
        ProcessBuilder pb = ChildTrain.command(tmp, URI.create("http://127.0.0.1:9"), "train", "--config", setup.settings().toString(),
                "--model", setup.model().toString(), "--dataset", setup.corpus().toString(), "--output-dir", run.toString());
        runTraced(pb, log, tmp);

        Path checkpoints = run.resolve("checkpoints");
        List<Path> saved = checkpoints(checkpoints);
        // Every 2 steps, and at each evaluation (steps 3 and 6) for the best model.
        assertEquals(4, saved.size(), "checkpoints at steps 2, 3, 4 and 6: " + saved);
        // Each checkpoint is checked at the first sync of checkpoints/ after it was renamed into place:
        // the trainer goes on (and may print "saved") from there.
        Set<String> problems = new LinkedHashSet<>();
        Set<Path> published = new LinkedHashSet<>();
        Set<Path> checked = new LinkedHashSet<>();
        StraceDurability trace = StraceDurability.read(log, tmp, (index, event, state) -> {
            for (Path ck : saved) {
                if (event.endsWith(" -> " + ck)) published.add(ck);
            }
            if (!event.equals("fsync " + checkpoints) && !event.equals("fdatasync " + checkpoints)) return;
            for (Path ck : published) {
                if (!checked.add(ck)) continue;
                for (Path f : tree(ck)) {
                    String why = state.notDurable(f);
                    if (why != null) problems.add("checkpoint " + ck.getFileName() + " once published: " + why);
                }
            }
        });
        assertEquals(Set.copyOf(saved), checked, "every checkpoint was published and then synced into checkpoints/");
        for (Path f : tree(run)) {
            // The lock file holds only the pid a second training's refusal names; a power cut ends the
            // process and so the lock, and an empty or missing lock file after it is taken anew.
            if (f.getFileName().toString().equals(RunLock.NAME)) continue;
            String why = trace.notDurable(f);
            if (why != null) problems.add("at exit: " + why);
        }
        assertTrue(problems.isEmpty(), problems.size() + " paths would not survive a power cut:\n" + String.join("\n", problems));
        assertTrue(trace.events() > 50, "the trace saw the run's file operations: " + trace.events());
        System.out.println("power-cut check: " + trace.events() + " file operations, " + saved.size() + " checkpoints, "
                + tree(run).size() + " paths in the run folder, all durable");
    }

    @Test
    void anOutputFileIsTheOldOneOrTheWholeNewOneAfterAPowerCut(@TempDir Path tmp) throws Exception {
        assumeTrue(straceWorks(tmp), "strace is missing or cannot trace here (apt-get install strace; .ci/run installs it): skipped");
        Path model = TinyRandomModel.create(tmp);
        Path output = tmp.resolve("summaries.jsonl");
        Files.writeString(output, "an earlier run's summaries\n");
        Path log = tmp.resolve("strace.log");
        runTraced(ChildTrain.command(tmp, URI.create("http://127.0.0.1:9"), "summarize", "--model", model.toString(),
                "--text", "Um texto curto para resumir.", "--max-new-tokens", "4", "--output", output.toString(), "--force"), log, tmp);
        assertTrue(Files.readString(output).contains("\"summary\""), Files.readString(output));
        List<String> problems = new ArrayList<>();
        StraceDurability trace = StraceDurability.read(log, tmp, (index, event, state) -> {
            // At the rename over the old output, the new bytes must be on disk already.
            if (event.endsWith(" -> " + output) && state.contentNotDurable(output) != null) problems.add(state.contentNotDurable(output));
        });
        String atExit = trace.notDurable(output);
        if (atExit != null) problems.add("at exit: " + atExit);
        assertTrue(problems.isEmpty(), String.join("\n", problems));

        // A converted checkpoint: a new file whose name, too, must be durable when convert returns.
        Path converted = tmp.resolve("converted.safetensors");
        Path convertLog = tmp.resolve("strace-convert.log");
        runTraced(ChildTrain.command(tmp, URI.create("http://127.0.0.1:9"), "convert", "--input",
                model.resolve("model.safetensors").toString(), "--output", converted.toString(), "--dtype", "bf16"), convertLog, tmp);
        String convertedAtExit = StraceDurability.read(convertLog, tmp, (index, event, state) -> {}).notDurable(converted);
        assertTrue(convertedAtExit == null, "convert at exit: " + convertedAtExit);
    }

    @Test
    void aHubDownloadIsOnDiskBeforeItTakesItsCachedName(@TempDir Path tmp) throws Exception {
        assumeTrue(straceWorks(tmp), "strace is missing or cannot trace here (apt-get install strace; .ci/run installs it): skipped");
        String url = "/datasets/csebuetnlp/xlsum/resolve/main/data/portuguese_XLSum_v2.0.tar.bz2";
        byte[] archive = Files.readAllBytes(Path.of("..", "train", "src", "test", "resources", "data", "portuguese_XLSum_v2.0.tar.bz2"));
        HttpServer hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", ex -> {
            try (ex) {
                boolean found = ex.getRequestURI().getRawPath().equals(url);
                byte[] body = found ? archive : "not found".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(found ? 200 : 404, body.length);
                ex.getResponseBody().write(body);
            }
        });
        hub.start();
        Path log = tmp.resolve("strace.log");
        try {
            runTraced(ChildTrain.command(tmp, URI.create("http://127.0.0.1:" + hub.getAddress().getPort()), "baseline",
                    "--dataset", "csebuetnlp/xlsum:portuguese", "--split", "all", "--json", "--bootstrap-samples", "20"), log, tmp);
        } finally {
            hub.stop(0);
        }
        Path cached = tmp.resolve("home/.cache/resumo/hub/datasets/csebuetnlp--xlsum/main/data/portuguese_XLSum_v2.0.tar.bz2");
        assertEquals(-1L, Files.mismatch(cached, Path.of("..", "train", "src", "test", "resources", "data", "portuguese_XLSum_v2.0.tar.bz2")));
        List<String> problems = new ArrayList<>();
        List<String> renames = new ArrayList<>();
        StraceDurability trace = StraceDurability.read(log, tmp, (index, event, state) -> {
            if (!event.endsWith(" -> " + cached)) return;
            renames.add(event);
            // A cached name is trusted by the next run: it must never stand on bytes the disk does not have.
            String why = state.contentNotDurable(cached);
            if (why != null) problems.add(why);
        });
        assertEquals(1, renames.size(), "the download took its cached name once: " + renames);
        // And when the command is done, the cached name itself stands: every cache folder the run made
        // (hub/datasets/csebuetnlp--xlsum/main/data, ...) is synced into its parent.
        String atExit = trace.notDurable(cached);
        if (atExit != null) problems.add("at exit: " + atExit);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aBatchRunsDoneMarkerNeverOutlivesItsShards(@TempDir Path tmp) throws Exception {
        assumeTrue(straceWorks(tmp), "strace is missing or cannot trace here (apt-get install strace; .ci/run installs it): skipped");
        Path model = TinyRandomModel.create(tmp);
        Path input = Files.writeString(tmp.resolve("in.jsonl"), "{\"id\": \"a\", \"text\": \"Um texto.\"}\n{\"id\": \"b\", \"text\": \"\"}\n");
        Path out = Files.createDirectory(tmp.resolve("out"));
        Path log = tmp.resolve("strace.log");
        runTraced(ChildTrain.command(tmp, URI.create("http://127.0.0.1:9"), "batch", "--model", model.toString(), "--input",
                input.toString(), "--output", out.resolve("run").toString(), "--max-new-tokens", "2"), log, tmp);
        Path marker = out.resolve("run" + BatchOutputShards.DONE_SUFFIX);
        List<Path> shards;
        try (Stream<Path> s = Files.list(out)) {
            shards = s.filter(p -> p.getFileName().toString().matches("run-(summaries|dead-letters)-.*\\.jsonl")).sorted().toList();
        }
        assertEquals(2, shards.size(), "one shard of summaries and one of dead letters (the blank text): " + shards);
        List<String> problems = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        StraceDurability trace = StraceDurability.read(log, tmp, (index, event, state) -> {
            // The marker takes its name by a rename into place (or, written in place, at its creation).
            if (!event.endsWith(" -> " + marker) && !event.equals("openat " + marker)) return;
            markers.add(event);
            // The moment the marker has its name, every shard it vouches for must be on disk, names included.
            for (Path shard : shards) {
                String why = state.notDurable(shard);
                if (why != null) problems.add("when the marker was published: " + why);
            }
        });
        assertEquals(1, markers.size(), "the marker took its name once: " + markers);
        String markerAtExit = trace.notDurable(marker);
        if (markerAtExit != null) problems.add("at exit: " + markerAtExit);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * `resumo fetch` of a model into an empty cache: when it exits, each downloaded file and every
     * cache folder the run made (hub/org--tiny/main) stand after a power cut — a lost folder name
     * would lose the files in it, although each was synced.
     */
    @Test
    void aFetchedModelAndItsCacheFoldersSurviveAPowerCut(@TempDir Path tmp) throws Exception {
        assumeTrue(straceWorks(tmp), "strace is missing or cannot trace here (apt-get install strace; .ci/run installs it): skipped");
        Path model = TinyRandomModel.create(tmp);
        HttpServer hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getRawPath();
                String prefix = "/org/tiny/resolve/main/";
                Path file = path.startsWith(prefix) ? model.resolve(path.substring(prefix.length())) : null;
                boolean found = file != null && !path.substring(prefix.length()).contains("/") && Files.isRegularFile(file);
                byte[] body = found ? Files.readAllBytes(file) : "not found".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(found ? 200 : 404, "HEAD".equals(ex.getRequestMethod()) ? -1 : body.length);
                if (!"HEAD".equals(ex.getRequestMethod())) ex.getResponseBody().write(body);
            }
        });
        hub.start();
        Path log = tmp.resolve("strace.log");
        try {
            runTraced(ChildTrain.command(tmp, URI.create("http://127.0.0.1:" + hub.getAddress().getPort()), "fetch", "org/tiny"), log, tmp);
        } finally {
            hub.stop(0);
        }
        Path cached = tmp.resolve("home/.cache/resumo/hub/org--tiny/main");
        assertEquals(-1L, Files.mismatch(cached.resolve("model.safetensors"), model.resolve("model.safetensors")));
        StraceDurability trace = StraceDurability.read(log, tmp, (index, event, state) -> {});
        List<String> problems = new ArrayList<>();
        for (String name : List.of("config.json", "model.safetensors")) {
            String why = trace.notDurable(cached.resolve(name));
            if (why != null) problems.add("at exit: " + why);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** {@code pb} under strace, logging the file operations to {@code log}; fails unless it exits 0. */
    private static void runTraced(ProcessBuilder pb, Path log, Path tmp) throws Exception {
        List<String> traced = new ArrayList<>(List.of("strace", "-f", "-qq", "-y", "--seccomp-bpf", "-s", "0", "-o", log.toString(),
                "-e", "trace=" + StraceDurability.TRACED));
        traced.addAll(pb.command());
        pb.command(traced);
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the command under strace did not finish in 5 minutes: " + pb.command());
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("out.txt")));
    }

    private static boolean straceWorks(Path tmp) {
        try {
            Process p = new ProcessBuilder("strace", "-f", "-qq", "--seccomp-bpf", "-o", tmp.resolve("probe.log").toString(), "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static List<Path> checkpoints(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d+")).sorted().toList();
        }
    }

    /** The folder and every file and folder under it. */
    private static List<Path> tree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
