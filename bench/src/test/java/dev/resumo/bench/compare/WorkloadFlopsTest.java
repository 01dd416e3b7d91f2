package dev.resumo.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.t5.T5Config;
import org.junit.jupiter.api.Test;

/** The %peak figures count the feed-forward's matrices by gating, not by activation name. */
class WorkloadFlopsTest {
    private static T5Config config(String feedForward) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("model_type", "t5").put("vocab_size", 128).put("d_model", 16).put("d_kv", 4).put("d_ff", 32)
                .put("num_layers", 2).put("num_heads", 4).put("feed_forward_proj", feedForward);
        return T5Config.fromJson(n);
    }

    @Test
    void anUngatedGeluCountsTwoMatricesAndAGatedOneThree() {
        double relu = WorkloadFlops.trainingStep(config("relu"), 2, 8, 4);
        assertEquals(relu, WorkloadFlops.trainingStep(config("gelu"), 2, 8, 4), 1e-9 * relu,
                "wi and wo, whatever the activation (was counted as gated: 3 matrices)");
        assertTrue(WorkloadFlops.trainingStep(config("gated-gelu"), 2, 8, 4) > relu, "wi_0, wi_1 and wo");
        assertEquals(WorkloadFlops.generation(config("relu"), 1, 1, 8, 4), WorkloadFlops.generation(config("gelu"), 1, 1, 8, 4));
    }
}
