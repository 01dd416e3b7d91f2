package dev.resumo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** `bench gemm --help` writes shapes M×K×N: the × sign parses like x, mixed too. */
class GemmShapeTimesSignTest {
    @Test
    void timesSignAndLetterXAreTheSame() {
        assertEquals(GemmShape.parse("2048x512x512"), GemmShape.parse("2048×512×512"));
        assertEquals(List.of(new GemmShape(8, 16, 32, "NT")), GemmShape.parse("8×16x32:NT"));
    }
}
