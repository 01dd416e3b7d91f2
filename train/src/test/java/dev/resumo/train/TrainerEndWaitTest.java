package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.train.fake.FakeRun;
import dev.resumo.train.track.CompositeTracker;
import dev.resumo.train.track.LocalTracker;
import dev.resumo.train.track.mlflow.MlflowSettings;
import dev.resumo.train.track.mlflow.MlflowTracker;
import dev.resumo.train.track.mlflow.RunContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose MLflow server is down finishes training, then waits (up to the flush timeout, a
 * minute by default) for the server to take the buffered metrics. A Ctrl-C in that wait must end
 * the wait — reporting what was not delivered — and leave the run FINISHED: before, it was ignored,
 * and the second one halted a finished run with exit 130 and a message about a checkpoint.
 */
class TrainerEndWaitTest {
    @Test
    void aSignalDuringTheFinalWaitForMlflowEndsTheWaitAndTheRunStaysFinished(@TempDir Path tmp) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once closed: every call is refused, and retried
        }
        Path run = tmp.resolve("run");
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        MlflowSettings settings = MlflowSettings.resolve("http://127.0.0.1:" + closedPort, "wait", null, null, Map.of()).orElseThrow()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(60));
        ByteArrayOutputStream signalOut = new ByteArrayOutputStream();
        List<Integer> halts = Collections.synchronizedList(new ArrayList<>());
        StopSignal stop = StopSignal.forTest(new PrintStream(signalOut, true, StandardCharsets.UTF_8), halts::add);
        TrainConfig c = FakeRun.config(run, Map.of("max-steps", 10));

        long start = System.nanoTime();
        CompletableFuture<TrainResult> result = CompletableFuture.supplyAsync(() -> {
            try {
                return FakeRun.run(c, 0, -1, stop, new PrintStream(new ByteArrayOutputStream()), messages::add,
                        dir -> new CompositeTracker(List.of(new LocalTracker(dir),
                                new MlflowTracker(settings, dir, RunContext.current(1), Map.of(), messages::add, messages::add))));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (messages.stream().noneMatch(m -> m.contains("sending the last")) && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(messages.stream().anyMatch(m -> m.contains("Ctrl-C stops waiting")), "the wait says how to end it: " + messages);
        long pressed = System.nanoTime();
        stop.onSignal("SIGINT", 130);
        TrainResult r = result.get(20, TimeUnit.SECONDS);
        double waitedAfterPress = (System.nanoTime() - pressed) / 1e9;

        assertEquals("FINISHED", r.status(), "the run was done before the signal");
        assertTrue(waitedAfterPress < 5, "the wait ended within seconds of the signal, not at the 60 s timeout: " + waitedAfterPress);
        assertEquals(List.of(), halts, "nothing was halted");
        assertTrue(messages.stream().anyMatch(m -> m.contains("stopped waiting for") && m.contains("not delivered")), messages.toString());
        assertTrue(Files.readString(run.resolve("run.json")).contains("\"FINISHED\""));
        assertTrue(Files.isRegularFile(run.resolve("model/model.safetensors")));
        System.out.printf("MLflow down: the end's wait ended %.2f s after the signal (%.1f s run in all)%n", waitedAfterPress,
                (System.nanoTime() - start) / 1e9);
    }
}
