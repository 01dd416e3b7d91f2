package dev.resumo.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A trainer_state.json written before the logged-loss window was kept still loads: the window is empty. */
class TrainerStateCompatibilityTest {
    @Test
    void olderStateWithoutTheLossWindowLoadsWithAnEmptyWindow() throws Exception {
        String older = """
                {"step":12,"epoch":1,"batchInEpoch":3,"dropoutRngState":[1,2,3,4],"bestMetricValue":2.5,
                 "bestCheckpoint":"step-00000010","evalsWithoutImprovement":0,"examplesSeen":48,
                 "targetTokensSeen":120,"trainData":"12:abc"}""";
        TrainerState s = new ObjectMapper().readValue(older, TrainerState.class);
        assertEquals(12, s.step());
        assertEquals(0.0, s.lossSinceLog());
        assertEquals(0, s.stepsSinceLog());
        assertNull(s.gradAccumulation(), "an older checkpoint: its steps averaged their micro-batches");
    }
}
