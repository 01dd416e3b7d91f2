package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.cpu.KernelWarmup;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a model for a command starts the GEMM kernel's warm-up (it compiles while the weights load). */
class ModelLoadingWarmupTest {

    @Test
    void loadingAModelStartsTheKernelWarmup(@TempDir Path dir) throws Exception {
        Path model = TinyRandomModel.create(dir);
        ModelLoading.model(model);
        assertTrue(KernelWarmup.started(), "ModelLoading.model starts KernelWarmup");
    }
}
