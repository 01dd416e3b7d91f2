package dev.resumo.train.track.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Run;

/**
 * The metrics of a resumed MLflow run against the run directory's, so that the run's history has
 * every step once. A training killed with -9 had sent the steps after its last checkpoint, which
 * the resumed training computes and logs again (MLflow kept both values of each such step: every
 * chart zig-zagged back); or it had not sent the steps logged while the server was away, which no
 * one sends again (the history had a hole up to the checkpoint).
 *
 * <p>MLflow's latest value of a key is the one at its highest step, and the sender delivers each
 * key in step order, so the server holds every step of a key up to that one and none after.
 * Values at those steps are not sent again; the run directory's values after them, up to where
 * the resumed training starts, are sent first.
 *
 * @param lastOnServer key → the highest step the server has for it
 */
record ResumedMetrics(Map<String, Long> lastOnServer) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ResumedMetrics of(Run previous) {
        Map<String, Long> last = new HashMap<>();
        for (Metric m : previous.getData().getMetricsList()) last.merge(m.getKey(), m.getStep(), Math::max);
        return new ResumedMetrics(last);
    }

    /** Whether the server already has this key at this step (from the training that was killed). */
    boolean onServer(Metric m) {
        Long last = lastOnServer.get(m.getKey());
        return last != null && m.getStep() <= last;
    }

    /** The highest step in metrics.jsonl (-1 when it has none): where the resumed training's own values begin after. */
    static long lastStep(Path metricsFile) {
        long[] last = {-1};
        eachLine(metricsFile, line -> last[0] = Math.max(last[0], line.path("step").asLong(-1)));
        return last[0];
    }

    /** The values of metrics.jsonl at steps up to upToStep that the server does not have, in file order. */
    List<Metric> missing(Path metricsFile, long upToStep) {
        List<Metric> out = new ArrayList<>();
        eachLine(metricsFile, line -> {
            long step = line.path("step").asLong(-1);
            if (step < 0 || step > upToStep) return;
            long time = millis(line.path("time").asText(""));
            for (Map.Entry<String, JsonNode> e : line.properties()) {
                if (e.getKey().equals("step") || e.getKey().equals("time")) continue;
                JsonNode v = e.getValue();
                double value = v.isNumber() ? v.asDouble() : v.isTextual() ? parse(v.asText()) : Double.NaN;
                Metric m = Metric.newBuilder().setKey(e.getKey()).setValue(value).setStep(step).setTimestamp(time).build();
                if (!onServer(m)) out.add(m);
            }
        });
        return out;
    }

    /** Streamed, not read whole: a long run's metrics.jsonl has hundreds of thousands of lines. */
    private static void eachLine(Path file, Consumer<JsonNode> each) {
        if (!Files.isRegularFile(file)) return;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                try {
                    each.accept(JSON.readTree(line));
                } catch (IOException e) {
                    // A line being written as it is read, or cut short by a crash: it describes nothing complete.
                }
            }
        } catch (IOException e) {
            // Unreadable: nothing to fill in; the resumed training's own values still go.
        }
    }

    private static long millis(String iso) {
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            return System.currentTimeMillis();
        }
    }

    /** NaN and infinities are written as text in metrics.jsonl (JSON has no number for them). */
    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
