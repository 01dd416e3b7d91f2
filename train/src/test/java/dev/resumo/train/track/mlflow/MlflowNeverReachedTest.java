package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainResult;
import dev.resumo.train.fake.FakeRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tracking URI where nothing ever answers (no MLflow server needed: a closed port): the run
 * trains, and its end waits the short time, not the full flush timeout meant for outages.
 */
class MlflowNeverReachedTest {
    @Test
    void aServerThatNeverAnsweredIsWaitedForBriefly(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path runDir = tmp.resolve("run");
        TrainConfig c = FakeRun.config(runDir, Map.of("experiment-name", "never", "max-steps", 3, "log-steps", 1));
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        MlflowSettings s = TrackedRun.settings("http://127.0.0.1:" + port, "never", "never-reached", null)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(60));
        TrainResult r = FakeRun.run(c, 0, -1, StopSignal.manual(), new PrintStream(new ByteArrayOutputStream()), messages::add,
                TrackedRun.trackers(s, messages, new MlflowTracker[1]));
        assertEquals("FINISHED", r.status(), "training does not depend on the tracking server");
        assertTrue(messages.stream().anyMatch(m -> m.contains("has not answered during this run; waiting at most "
                + MlflowTracker.NEVER_REACHED_FLUSH_MILLIS / 1000 + " s")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("is unreachable") && m.contains("check --tracking-uri / MLFLOW_TRACKING_URI")),
                "the warning names the setting of the address: " + messages);
        assertTrue(messages.stream().anyMatch(m -> m.contains("gave up after " + MlflowTracker.NEVER_REACHED_FLUSH_MILLIS / 1000.0
                + " s")), "the full 60 s flush timeout was not used: " + messages);
    }
}
