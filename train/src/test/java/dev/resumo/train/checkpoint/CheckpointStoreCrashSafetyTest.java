package dev.resumo.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import dev.resumo.train.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoints/ folder after things went wrong while writing or deleting a checkpoint. */
class CheckpointStoreCrashSafetyTest {
    private static final List<Parameter> PARAMS = List.of(Parameter.of("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)));

    private static TrainerState state(long step) {
        return new TrainerState(step, 0, (int) step, new long[] {1, 2, 3, 4}, null, null, 0, step * 4, step * 10, "4:00", 0, 0, TrainerState.SUMMED_MICRO_BATCHES, null, null);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSaveThatFailsHalfWayGivesBackWhatItWrote(@TempDir Path tmp) throws Exception {
        CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoints"), w -> {});
        store.save(PARAMS, Map.of(), state(1), Map.of());
        // The weights are written, then the optimizer state fails (a name safetensors cannot hold stands in for a full disk).
        Map<String, Tensor> bad = Map.of("__metadata__", Tensor.of(new float[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> store.save(PARAMS, bad, state(2), Map.of()));
        assertEquals(List.of("step-00000001"), names(store.root()), "no half-written .tmp-step-00000002 holding space");
        assertEquals(1, CheckpointStore.step(store.latest().orElseThrow()));
    }

    @Test
    void pruningRenamesBeforeDeletingAndClearsWhatACrashLeftHalfDeleted(@TempDir Path tmp) throws Exception {
        List<String> warnings = new ArrayList<>();
        CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoints"), warnings::add);
        for (long step = 1; step <= 3; step++) store.save(PARAMS, Map.of(), state(step), Map.of());
        // What a crash in the middle of deleting step 1 leaves: its marker, its weights gone.
        Path halfDeleted = store.root().resolve(".deleting-step-00000001");
        Files.move(store.root().resolve("step-00000001"), halfDeleted);
        Files.delete(halfDeleted.resolve(CheckpointStore.WEIGHTS));
        assertEquals(List.of(2L, 3L), store.complete().stream().map(CheckpointStore::step).toList(),
                "a checkpoint being deleted is never offered for a resume");
        assertTrue(warnings.isEmpty(), "nor warned about as an interrupted write: " + warnings);

        store.save(PARAMS, Map.of(), state(4), Map.of());
        store.prune(2, null);
        assertEquals(List.of("step-00000003", "step-00000004"), names(store.root()), "pruned, and the leftover cleared");
        assertFalse(Files.exists(halfDeleted));
    }

    /**
     * A kill between save's two renames (the old step-N moved aside, the new one not yet in its place)
     * leaves .old-step-N and no step-N: the old one goes back. Once the new one is in place, .old-step-N
     * is only waste. A .tmp-step-N is a write cut short. Before, all three stayed for good.
     */
    @Test
    void leftoversOfAKilledSaveAreRestoredOrDeleted(@TempDir Path tmp) throws Exception {
        CheckpointStore store = new CheckpointStore(tmp.resolve("checkpoints"), w -> {});
        for (long step = 1; step <= 2; step++) store.save(PARAMS, Map.of(), state(step), Map.of());
        Files.move(store.root().resolve("step-00000001"), store.root().resolve(".old-step-00000001"));
        Files.createDirectories(store.root().resolve(".old-step-00000002"));
        Files.createDirectories(store.root().resolve(".tmp-step-00000003"));
        Files.writeString(store.root().resolve(".tmp-step-00000003/model.safetensors.tmp-4242-1"), "cut short");

        store.deleteLeftovers();
        assertEquals(List.of("step-00000001", "step-00000002"), names(store.root()));
        assertEquals(List.of(1L, 2L), store.complete().stream().map(CheckpointStore::step).toList(), "step 1 is back, whole");
    }
}
