package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamFlattenerTest {
    @Test
    void nestedMapsBecomeDottedKeysAndNullsStayVisible() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("lr", 0.001);
        config.put("resume", null);
        config.put("optimizer", Map.of("beta1", 0.9));
        config.put("layers", List.of(1, 2));
        Map<String, String> params = ParamFlattener.flatten(config);
        assertEquals(Map.of("lr", "0.001", "resume", "null", "optimizer.beta1", "0.9", "layers", "[1, 2]"), params);
    }

    @Test
    void valuesOverTheServerLimitAreCutWithAMarker() {
        String prefix = "x".repeat(7000);
        String value = ParamFlattener.flatten(Map.of("prefix", prefix)).get("prefix");
        assertEquals(MlflowLimits.PARAM_VALUE_LENGTH, value.length());
        assertTrue(value.endsWith(MlflowLimits.TRUNCATED), value.substring(value.length() - 80));
        assertTrue(prefix.startsWith(value.substring(0, value.length() - MlflowLimits.TRUNCATED.length())));
        // A value at the limit is left alone.
        String exact = "y".repeat(MlflowLimits.PARAM_VALUE_LENGTH);
        assertEquals(exact, ParamFlattener.flatten(Map.of("k", exact)).get("k"));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        int keep = MlflowLimits.PARAM_VALUE_LENGTH - MlflowLimits.TRUNCATED.length();
        String value = "a".repeat(keep - 1) + "😀" + "b".repeat(100); // the emoji straddles the cut
        String cut = MlflowLimits.fit(value, MlflowLimits.PARAM_VALUE_LENGTH);
        assertEquals("a".repeat(keep - 1) + MlflowLimits.TRUNCATED, cut);
    }
}
