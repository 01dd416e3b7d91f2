package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Load on loopback: zero 5xx, batching at least 2x one-at-a-time with 16 clients, heap not growing. */
class LoadBenchTest {
    /**
     * Scheduler only: a fake engine whose batch costs 20 ms whatever its size (the shape of a
     * memory-bound decoder step), so batching must multiply throughput.
     */
    @Test
    void batchingMultipliesThroughputOfAFixedCostEngine() throws Exception {
        FakeEngine engine = new FakeEngine(20, 512);
        LoadBench.Plan plan = new LoadBench.Plan(16, Duration.ofMillis(1500), 5000, 1, 16, 5);
        List<LoadBench.Round> rounds = LoadBench.compare(engine, plan, List.of("um texto curto", "outro texto aqui"));
        System.out.print(LoadBench.table(rounds));
        for (LoadBench.Round r : rounds) {
            assertEquals(0, r.errors5xx(), "no 5xx: " + r);
            assertEquals(0, r.otherErrors(), "no refused or failed requests: " + r);
        }
        double off = LoadBench.bestThroughput(rounds, "batching off");
        double on = LoadBench.bestThroughput(rounds, "batching on");
        assertTrue(on >= 2 * off, "batching " + on + " req/s vs one-at-a-time " + off);
    }

    /** The real tiny model, 16 clients, 2 rounds per mode; prints the table for the report. */
    @Test
    @Tag("slow")
    void goldenModelLoadTable() throws Exception {
        SummarizerEngine engine = GoldenModel.engine(32, 128, 16);
        LoadBench.Plan plan = new LoadBench.Plan(16, Duration.ofSeconds(Long.getLong("resumo.bench.seconds", 10)), 100_000, 3, 32, 5);
        List<LoadBench.Round> rounds = LoadBench.compare(engine, plan, List.of(GoldenModel.TEXTS));
        System.out.print(LoadBench.table(rounds));
        for (LoadBench.Round r : rounds) assertEquals(0, r.errors5xx(), "no 5xx: " + r);
        assertTrue(LoadBench.bestThroughput(rounds, "batching on") >= 2 * LoadBench.bestThroughput(rounds, "batching off"));
        List<LoadBench.Round> on = rounds.stream().filter(r -> r.mode().equals("batching on")).toList();
        assertTrue(on.getLast().heapMb() <= on.get(1).heapMb() + 64, "heap does not grow across rounds: " + on);
    }
}
