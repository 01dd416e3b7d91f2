package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlflowSettingsTest {
    @Test
    void theFlagWinsOverTheEnvironmentAndNeitherMeansNoMlflow() {
        var env = Map.of("MLFLOW_TRACKING_URI", "http://env:5000");
        assertEquals("http://flag:5001", MlflowSettings.resolve("http://flag:5001/", "e", null, null, env).orElseThrow().baseUrl());
        assertEquals("http://env:5000", MlflowSettings.resolve(null, "e", null, null, env).orElseThrow().baseUrl());
        assertTrue(MlflowSettings.resolve(null, "e", null, null, Map.of()).isEmpty());
    }

    @Test
    void anExperimentNameLongerThanMlflowTakesIsRefusedBeforeTraining() {
        // 500 characters, one of them outside the BMP (two Java chars): MLflow counts characters, and takes it.
        String longest = "\uD83D\uDE00" + "e".repeat(499);
        assertEquals(longest, MlflowSettings.resolve("http://h:5000", longest, null, null, Map.of()).orElseThrow().experimentName());
        ConfigException tooLong = assertThrows(ConfigException.class,
                () -> MlflowSettings.resolve("http://h:5000", "e".repeat(501), null, null, Map.of()));
        assertEquals("--experiment-name is 501 characters long; MLflow allows at most 500", tooLong.getMessage());
    }

    @Test
    void badAddressesAreRefusedNamingWhereTheyCameFrom() {
        ConfigException file = assertThrows(ConfigException.class,
                () -> MlflowSettings.resolve("file:///tmp/mlruns", "e", null, null, Map.of()));
        assertTrue(file.getMessage().startsWith("--tracking-uri 'file:///tmp/mlruns' must be an http:// or https://"), file.getMessage());
        ConfigException env = assertThrows(ConfigException.class,
                () -> MlflowSettings.resolve(null, "e", null, null, Map.of("MLFLOW_TRACKING_URI", "databricks")));
        assertTrue(env.getMessage().startsWith("MLFLOW_TRACKING_URI 'databricks'"), env.getMessage());
        ConfigException spaces = assertThrows(ConfigException.class,
                () -> MlflowSettings.resolve("http://a b", "e", null, null, Map.of()));
        assertTrue(spaces.getMessage().contains("not a valid URI"), spaces.getMessage());
        ConfigException register = assertThrows(ConfigException.class,
                () -> MlflowSettings.resolve(null, "e", null, "ptt5-sum", Map.of()));
        assertTrue(register.getMessage().contains("--register-model ptt5-sum needs an MLflow server"), register.getMessage());
    }

    @Test
    void credentialsAreSentButNeverShown() {
        var token = MlflowSettings.resolve("http://h:1", "e", "r", null,
                Map.of("MLFLOW_TRACKING_TOKEN", "s3cr3t-token", "MLFLOW_TRACKING_USERNAME", "ana")).orElseThrow();
        assertEquals("Bearer s3cr3t-token", token.credentials().authorizationHeader().orElseThrow());
        assertFalse(token.toString().contains("s3cr3t"), token.toString());

        var basic = MlflowSettings.resolve("http://h:1", "e", "r", null,
                Map.of("MLFLOW_TRACKING_USERNAME", "ana", "MLFLOW_TRACKING_PASSWORD", "pa55word")).orElseThrow();
        assertEquals("Basic YW5hOnBhNTV3b3Jk", basic.credentials().authorizationHeader().orElseThrow()); // base64("ana:pa55word")
        assertFalse(basic.toString().contains("pa55word"), basic.toString());
        assertTrue(MlflowSettings.resolve("http://h:1", "e", null, null, Map.of()).orElseThrow().credentials()
                .authorizationHeader().isEmpty());
        ConfigException inUri = assertThrows(ConfigException.class,
                () -> MlflowSettings.resolve("http://ana:pa55word@h:1", "e", null, null, Map.of()));
        assertFalse(inUri.getMessage().contains("pa55word"), inUri.getMessage());
        assertTrue(inUri.getMessage().startsWith("--tracking-uri 'http://***@h:1' must not carry a user or password"),
                inUri.getMessage());
    }

    @Test
    void proxiedArtifactUrisMapToTheArtifactApi() {
        assertEquals("1/abc/artifacts", ArtifactLocation.proxiedRoot("mlflow-artifacts:/1/abc/artifacts").orElseThrow());
        assertEquals("1/abc/artifacts", ArtifactLocation.proxiedRoot("mlflow-artifacts://h:5000/1/abc/artifacts").orElseThrow());
        assertTrue(ArtifactLocation.proxiedRoot("/tmp/mlruns/1/abc/artifacts").isEmpty(), "not proxied");
        assertEquals("http://h:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model/my%20card.md",
                ArtifactLocation.url("http://h:5000", "1/abc/artifacts", "model/my card.md"));
    }
}
