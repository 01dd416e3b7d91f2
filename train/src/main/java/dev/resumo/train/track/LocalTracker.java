package dev.resumo.train.track;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.resumo.train.checkpoint.Durable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tracks into the run directory: one JSON object per line in metrics.jsonl ({"step", "time", metrics...})
 * and the run's status, times and artifacts in run.json.
 */
public final class LocalTracker implements Tracker {
    public static final String METRICS = "metrics.jsonl";
    public static final String RUN = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path runDir;
    private final Map<String, Object> run = new LinkedHashMap<>();
    private final List<String> artifacts = new ArrayList<>();

    public LocalTracker(Path runDir) {
        this.runDir = runDir;
    }

    @Override
    public void start(Map<String, Object> params) throws IOException {
        String now = Instant.now().toString();
        Path file = runDir.resolve(RUN);
        if (params.get("resume") != null && Files.isRegularFile(file)) {
            // A resumed run keeps its original start; each resume's time is added to "resumed".
            try {
                Map<String, Object> before = JSON.readValue(file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
                if (before != null && before.get("started") != null) {
                    run.put("started", before.get("started"));
                    List<Object> resumed = before.get("resumed") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
                    resumed.add(now);
                    run.put("resumed", resumed);
                    if (before.get("artifacts") instanceof List<?> a) for (Object o : a) if (!artifacts.contains(o.toString())) artifacts.add(o.toString());
                }
            } catch (IOException e) {
                // an unreadable run.json (cut short by a crash): the resume starts a new record
            }
        }
        run.put("status", "RUNNING");
        run.putIfAbsent("started", now);
        writeRun();
    }

    @Override
    public void metrics(long step, Map<String, Double> metrics) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.put("time", Instant.now().toString());
        line.putAll(metrics);
        // fsync'd line by line (a few ms on a log line per logging step): a checkpoint is fsync'd, so
        // after a power cut the metrics it covers must be on disk too. Durable.append names the file
        // in its errors (a full disk names none by itself).
        Durable.append(runDir.resolve(METRICS), JSON.writeValueAsString(line) + "\n");
    }

    @Override
    public void artifacts(Path path) throws IOException {
        String name = runDir.relativize(path.toAbsolutePath().normalize()).toString();
        if (!artifacts.contains(name)) artifacts.add(name); // a resumed run exports model/ again
        writeRun();
    }

    @Override
    public void end(String status) throws IOException {
        end(status, null);
    }

    @Override
    public void end(String status, String reason) throws IOException {
        run.put("status", status);
        if (reason != null) run.put("reason", reason);
        run.put("ended", Instant.now().toString());
        writeRun();
    }

    private void writeRun() throws IOException {
        run.put("artifacts", artifacts);
        // Replaced whole (never truncated first): its start time and resume history survive a crash or a full disk.
        Durable.writeAtomically(runDir.resolve(RUN), PRETTY.writeValueAsString(run));
    }
}
