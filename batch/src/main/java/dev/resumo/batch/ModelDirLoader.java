package dev.resumo.batch;

import dev.resumo.engine.backend.DeviceSelector;
import dev.resumo.t5.DeviceModels;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.t5.generate.GenerationOverrides;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a {@link Summarizer} from a model folder on the worker (the folder must be readable there:
 * a shared filesystem, or baked into the worker image), generating with the model's
 * generation_config.json under the settings the user gave, as `resumo summarize` does.
 */
public record ModelDirLoader(String modelDir, String tokenizer, String prefix, int maxSourceLength, GenerationOverrides generation,
                             int batchSize, String device) implements SummarizerLoader {
    @Override
    public String key() {
        return String.join("|", modelDir, String.valueOf(tokenizer), prefix, Integer.toString(maxSourceLength),
                generation.toString(), Integer.toString(batchSize), device);
    }

    @Override
    public TextSummarizer load() {
        GenerationConfig g = generation.over(Summarizer.modelGenerationConfig(Path.of(modelDir)));
        Summarizer loaded = Summarizer.load(Path.of(modelDir), tokenizer == null ? null : Path.of(tokenizer), g, prefix, maxSourceLength);
        // The device is chosen on the worker: each JVM uploads its one model copy there once.
        T5Model model = DeviceModels.onDevice(loaded.model(), DeviceSelector.select(device, System.err));
        return summarizing(new Summarizer(loaded.tokenizer(), model, g, prefix, maxSourceLength, batchSize));
    }

    /**
     * Hands this JVM's workers a summarizer the launcher already built from the same folder and
     * settings (it loads a local model once to report a broken one in one line): with the
     * DirectRunner the workers run in this JVM, and loading PTT5 twice cost 1-3 s. Only for the CPU,
     * where the loaded model is the one the workers would compute with.
     */
    public void reuse(Summarizer checked) {
        if (!"cpu".equals(device)) return;
        SummarizerHolder.offer(key(), summarizing(checked));
    }

    private static TextSummarizer summarizing(Summarizer s) {
        return texts -> {
            List<String> out = new ArrayList<>(texts.size());
            // Summarizer holds per-call state only; the model is read-only, so threads may share it.
            for (Summarizer.Summary sum : s.summarize(texts)) out.add(sum.text());
            return out;
        };
    }
}
