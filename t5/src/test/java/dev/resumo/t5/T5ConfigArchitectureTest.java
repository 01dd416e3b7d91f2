package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class T5ConfigArchitectureTest {

    @Test
    void aConfigThatIsNotEncoderDecoderIsRefusedNamingTheField() {
        String msg = assertThrows(IllegalArgumentException.class,
                () -> T5Config.fromJson(T5ConfigTest.tiny().put("is_encoder_decoder", false))).getMessage();
        assertTrue(msg.startsWith("is_encoder_decoder: must be true"), msg);
        // true, or absent (older configs omit it), is fine
        T5Config.fromJson(T5ConfigTest.tiny().put("is_encoder_decoder", true));
        T5Config.fromJson(T5ConfigTest.tiny());
    }
}
