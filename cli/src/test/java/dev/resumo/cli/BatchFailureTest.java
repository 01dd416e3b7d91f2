package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/** How a failed pipeline's cause is told apart: a file the run could not write, or a cluster it could not reach. */
class BatchFailureTest {
    @Test
    void aClusterThatCannotBeReachedIsNotCalledAFileProblem() {
        // As the Flink runner reports `-- --flinkMaster=nohost:1`: its own exceptions around the JDK's.
        UnknownHostException unknown = new UnknownHostException("nohost");
        RuntimeException flink = new RuntimeException("Pipeline execution failed", new IllegalStateException("job submission", unknown));
        assertNull(BatchFailure.fileProblem(flink), "an unknown host is no file");
        assertSame(unknown, BatchFailure.networkProblem(flink));
        String said = BatchFailure.networkMessage(unknown);
        assertEquals("the runner could not reach its cluster: unknown host nohost; check the cluster's address in the Beam"
                + " options after -- (e.g. --flinkMaster, --sparkMaster)", said);

        ConnectException refused = new ConnectException("Connection refused");
        assertSame(refused, BatchFailure.networkProblem(new RuntimeException(new IOException("submit", refused))));
        assertNull(BatchFailure.fileProblem(new RuntimeException(new IOException("submit", refused))));
    }

    @Test
    void aFileProblemIsStillOne() {
        AccessDeniedException denied = new AccessDeniedException("/out/run-summaries-00000-of-00001.jsonl");
        RuntimeException beam = new RuntimeException(new IllegalStateException(denied));
        assertSame(denied, BatchFailure.fileProblem(beam));
        assertNull(BatchFailure.networkProblem(beam));
        assertTrue(BatchFailure.message(denied, "/nonexistent-folder/run").startsWith("the pipeline failed on a file: "));
    }
}
