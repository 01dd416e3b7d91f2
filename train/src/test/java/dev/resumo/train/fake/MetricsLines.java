package dev.resumo.train.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A run's metrics.jsonl for comparing two runs line by line: the wall-clock values (time, throughput) left out. */
public final class MetricsLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsLines() {}

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> withoutWallClock(Path run) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Map<String, Object> m = new TreeMap<>(JSON.readValue(line, Map.class));
            m.keySet().removeIf(k -> k.equals("time") || k.endsWith("per_second") || k.endsWith("seconds"));
            out.add(m);
        }
        return out;
    }
}
