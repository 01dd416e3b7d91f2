package dev.resumo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GemmShapeTest {
    @Test
    void plainShapeMeansEveryTrainingLayout() {
        List<GemmShape> shapes = GemmShape.parse("2048x512x32128");
        assertEquals(3, shapes.size());
        assertEquals(List.of("NN", "NT", "TN"), shapes.stream().map(GemmShape::layout).toList());
        GemmShape s = shapes.get(1);
        assertEquals(2048, s.m());
        assertEquals(512, s.k());
        assertEquals(32128, s.n());
        assertEquals(2.0 * 2048 * 512 * 32128, s.flops());
        assertTrue(s.transB() && !s.transA());
    }

    @Test
    void layoutSuffixSelectsOne() {
        List<GemmShape> shapes = GemmShape.parse(" 7x8x9:tn ");
        assertEquals(List.of(new GemmShape(7, 8, 9, "TN")), shapes);
        assertTrue(shapes.getFirst().transA());
    }

    @Test
    void badShapesNameTheProblem() {
        assertMessage("2048x512", "is not M×K×N (× or x");
        assertMessage("2048x5a2x512", "'5a2' is not a whole number");
        assertMessage("0x4x4", "sizes must be >= 1");
        assertMessage("4x4x4:XY", "layout must be NN, NT, TN or TT");
        assertMessage("100000x100000x4", "larger than 2^31");
    }

    private static void assertMessage(String spec, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmShape.parse(spec));
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains(spec.trim()),
                "message for '" + spec + "': " + e.getMessage());
    }
}
