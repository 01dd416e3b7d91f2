package dev.resumo.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint files (trainer_state.json, config.json, COMPLETE) and the model export's settings files written
 * on a full disk: the failure names the file, so the run's one-line error can say which one. A bare
 * IOException("No space left on device") reached the user as "cannot write the run's files".
 */
class DurableFullDiskTest {
    private static final Path FULL = Path.of("/dev/full"); // every write there fails with ENOSPC

    @BeforeEach
    void needsDevFull() {
        assumeTrue(Files.isWritable(FULL), "needs Linux's /dev/full");
    }

    @Test
    void aWriteOnAFullDiskNamesTheFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("trainer_state.json");
        Files.createSymbolicLink(file, FULL);
        FileSystemException e = assertThrows(FileSystemException.class, () -> Durable.writeString(file, "{\"step\": 5}"));
        assertEquals(file.toString(), e.getFile());
        assertEquals("No space left on device", e.getReason());
    }

    /** metrics.jsonl's appends (fsync'd each) on a full disk name the file too. */
    @Test
    void anAppendOnAFullDiskNamesTheFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        Files.createSymbolicLink(file, FULL);
        FileSystemException e = assertThrows(FileSystemException.class, () -> Durable.append(file, "{\"step\": 5}\n"));
        assertEquals(file.toString(), e.getFile());
        assertEquals("No space left on device", e.getReason());
    }

    @Test
    void appendsCreateTheFileThenAddToIt(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        Durable.append(file, "{\"step\": 1}\n");
        Durable.append(file, "{\"step\": 2}\n");
        assertEquals("{\"step\": 1}\n{\"step\": 2}\n", Files.readString(file));
    }

    /** An atomic rewrite (run.json) on a full disk names the file being replaced, not its temporary sibling. */
    @Test
    void anAtomicRewriteOnAFullDiskNamesTheFileItReplaces(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("run.json");
        Files.writeString(file, "{\"status\": \"RUNNING\"}");
        // The temporary sibling writeAtomically writes first, made to sit on a full disk.
        Path sibling = tmp.resolve(".run.json.tmp-" + ProcessHandle.current().pid());
        Files.createSymbolicLink(sibling, FULL);
        FileSystemException e = assertThrows(FileSystemException.class, () -> Durable.writeAtomically(file, "{\"status\": \"FINISHED\"}"));
        assertEquals(file.toString(), e.getFile());
        assertEquals("No space left on device", e.getReason());
        assertEquals("{\"status\": \"RUNNING\"}", Files.readString(file), "the old content stays");
        assertEquals(false, Files.exists(sibling, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the temporary link is removed");
    }
}
