package dev.resumo.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a training killed mid-write (kill -9: no cleanup ran) leaves in the run directory, and what the next training makes of it. */
class RunDirectoryLeftoversTest {
    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void temporarySiblingsAndACutShortExportGoTheRunsOwnFilesStay(@TempDir Path root) throws Exception {
        RunDirectory run = new RunDirectory(root);
        for (String f : List.of(".run.json.tmp-4242", ".metrics.jsonl.tmp-17", "run.json", ".resumo-train.lock", ".notes", "x.tmp-5")) {
            Files.writeString(root.resolve(f), "{");
        }
        Files.createDirectories(root.resolve(".tmp-model"));
        Files.writeString(root.resolve(".tmp-model/model.safetensors.tmp-4242-1"), "cut short");

        run.deleteLeftovers();
        assertEquals(List.of(".notes", ".resumo-train.lock", "run.json", "x.tmp-5"), names(root),
                "only the names Durable.writeAtomically and the export give their temporary files go");
    }

    /** Killed between publishModel's two renames: model/ moved aside, the new one not yet in its place. */
    @Test
    void aModelMovedAsideComesBackWhenItsReplacementNeverArrived(@TempDir Path root) throws Exception {
        RunDirectory run = new RunDirectory(root);
        Files.createDirectories(root.resolve(".old-model"));
        Files.writeString(root.resolve(".old-model/model.safetensors"), "the earlier segment's model");
        Files.createDirectories(root.resolve(".tmp-model"));

        run.deleteLeftovers();
        assertEquals(List.of("model"), names(root));
        assertEquals("the earlier segment's model", Files.readString(run.model().resolve("model.safetensors")));

        Files.createDirectories(root.resolve(".old-model")); // the new model/ did arrive: the old one is waste
        run.deleteLeftovers();
        assertEquals(List.of("model"), names(root));
    }
}
