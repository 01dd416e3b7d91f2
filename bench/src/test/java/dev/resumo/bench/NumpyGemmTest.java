package dev.resumo.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class NumpyGemmTest {
    @Test
    void readsTheScriptsJson() throws Exception {
        String json = """
                {"numpy": "2.4.6", "blas": [{"user_api": "blas", "internal_api": "openblas", "version": "0.3.31",
                 "architecture": "SkylakeX", "num_threads": 2, "threading_layer": "pthreads"}],
                 "results": [{"shape": "2048x512x512", "layout": "NT", "gflops_median": 450.5, "gflops_best": 470.25}]}
                """;
        NumpyGemm.Outcome o = NumpyGemm.parse(json);
        assertTrue(o.ok());
        assertArrayEquals(new double[] {450.5, 470.25}, o.gflops().get("2048x512x512:NT"));
        assertEquals(1, o.gflops().size());
        assertTrue(o.blas().contains("openblas 0.3.31 kernel SkylakeX, 2 threads"), o.blas());
        assertEquals("2048x512x512:NT", NumpyGemm.key(new GemmShape(2048, 512, 512, "NT")));
    }

    @Test
    void scriptShipsInTheJar() throws Exception {
        try (InputStream in = NumpyGemm.class.getResourceAsStream("numpy_gemm.py")) {
            String script = new String(in.readAllBytes());
            assertTrue(script.contains("threadpool_info") && script.contains("gflops_median"));
        }
    }
}
