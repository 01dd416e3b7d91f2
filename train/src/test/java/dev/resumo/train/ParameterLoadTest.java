package dev.resumo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resumo.engine.Tensor;
import org.junit.jupiter.api.Test;

/** A restore writes values in place; it must move the tensor's version so packed copies are rebuilt. */
class ParameterLoadTest {
    @Test
    void loadOverwritesInPlaceAndMarksTheTensorModified() {
        Tensor value = Tensor.zeros(2, 2);
        Parameter p = Parameter.of("w", value);
        long before = value.version();
        p.load(new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {1, 2, 3, 4}, value.toArray());
        assertEquals(before + 1, value.version());
    }
}
