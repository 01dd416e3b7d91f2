package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo batch --runner SparkRunner` on a local Spark master writes what the DirectRunner writes.
 * Runs only in a -Pspark build (which puts Spark on the test classpath; the jar leaves Spark to
 * spark-submit): the root pom excludes it otherwise.
 */
class SparkRunnerMatchesDirectTest {
    @Test
    void sparkLocalMasterWritesWhatTheDirectRunnerWrites(@TempDir Path dir) throws Exception {
        List<String> shards = RunnerMatchesDirect.assertSameOutput(dir,
                List.of("--runner", "SparkRunner", "--", "--sparkMaster=local[2]"));
        // One shard per Spark partition: local[2] gives two, so the job ran on Spark with two cores.
        assertEquals(List.of("run-summaries-00000-of-00002.jsonl", "run-summaries-00001-of-00002.jsonl"), shards);
    }
}
