package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `resumo batch --runner FlinkRunner` on an embedded Flink cluster writes what the DirectRunner
 * writes. Runs only in a -Pflink build: the root pom excludes it otherwise, since the default jar
 * carries no FlinkRunner.
 */
class FlinkRunnerMatchesDirectTest {
    @Test
    void flinkLocalClusterWritesWhatTheDirectRunnerWrites(@TempDir Path dir) throws Exception {
        List<String> shards = RunnerMatchesDirect.assertSameOutput(dir,
                List.of("--runner", "FlinkRunner", "--", "--flinkMaster=[local]", "--parallelism=2"));
        // The sink writes one shard per Flink subtask: two files show the job ran on Flink with
        // parallelism 2 (the DirectRunner picks its own count).
        assertEquals(List.of("run-summaries-00000-of-00002.jsonl", "run-summaries-00001-of-00002.jsonl"), shards);
    }

    /** Parquet row groups, listed, reshuffled and read on Flink's subtasks, give the DirectRunner's output. */
    @Test
    void flinkReadsParquetRowGroupsAsTheDirectRunnerDoes(@TempDir Path dir) throws Exception {
        List<String> shards = RunnerMatchesDirect.assertSameOutputOnParquet(dir,
                List.of("--runner", "FlinkRunner", "--", "--flinkMaster=[local]", "--parallelism=2"));
        assertEquals(2, shards.size(), shards.toString());
    }
}
