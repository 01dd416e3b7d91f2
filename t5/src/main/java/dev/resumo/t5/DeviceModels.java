package dev.resumo.t5;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.backend.Backend;
import java.util.LinkedHashMap;
import java.util.Map;

/** Moving a model onto a compute device: every parameter uploaded once, resident afterwards. */
public final class DeviceModels {
    private DeviceModels() {}

    /**
     * The same model with its parameters on the backend (the model itself when backend is null, the
     * CPU). Forward, backward, generation and the optimizers then run there; values come back to
     * the host only when asked ({@code toArray()}, {@code item()}; checkpoints download on save).
     */
    public static T5Model onDevice(T5Model model, Backend backend) {
        if (backend == null) return model;
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.parameters().forEach((name, t) -> params.put(name, t.to(backend)));
        return T5Model.of(model.config(), params);
    }
}
