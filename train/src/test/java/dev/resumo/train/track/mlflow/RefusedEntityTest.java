package dev.resumo.train.track.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;

/** The refused param or tag named from MLflow 2.17.2's own messages (got from the server with curl). */
class RefusedEntityTest {
    private static final LogBatch BATCH = new LogBatch(List.of(),
            List.of(param("lr", "0.01"), param("bad?key", "v"), param("k".repeat(300), "x".repeat(200))),
            List.of(RunTag.newBuilder().setKey("resumo.host").setValue("box").build()));

    private static Param param(String key, String value) {
        return Param.newBuilder().setKey(key).setValue(value).build();
    }

    @Test
    void byPosition() {
        assertEquals("param 'bad?key' = 'v'", RefusedEntity.name(BATCH, "HTTP 400 {\"error_code\": \"INVALID_PARAMETER_VALUE\", "
                + "\"message\": \"Invalid value \\\"bad?key\\\" for parameter 'params[1].key' supplied: Names may only contain ...\"}"));
        assertEquals("tag 'resumo.host' = 'box'", RefusedEntity.name(BATCH, "Invalid value \"x\" for parameter 'tags[0].key' supplied"));
    }

    @Test
    void byQuotedKeyWithLongTextShortened() {
        assertEquals("param '" + "k".repeat(80) + "...' = '" + "x".repeat(80) + "...' (200 characters)",
                RefusedEntity.name(BATCH, "Param key '" + "k".repeat(300) + "' had length 300, which exceeded length limit of 250"));
        assertEquals("param 'lr' = '0.01'", RefusedEntity.name(BATCH, "Changing param values is not allowed. Params were already "
                + "logged='[{'key': 'lr', 'old_value': '0.02', 'new_value': '0.01'}]' for run ID='abc'."));
    }

    @Test
    void otherwiseTheBatch() {
        assertEquals("one of its 3 params and 1 tags", RefusedEntity.name(BATCH, "HTTP 403 Forbidden"));
        assertEquals("one of its 3 params and 1 tags", RefusedEntity.name(BATCH, "Invalid value for parameter 'params[7].key'"));
    }
}
