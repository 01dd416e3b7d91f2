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
                             int numReturnSequences, int batchSize, String device) implements SummarizerLoader {
    @Override
    public String key() {
        return String.join("|", modelDir, String.valueOf(tokenizer), prefix, Integer.toString(maxSourceLength),
                generation.toString(), Integer.toString(numReturnSequences), Integer.toString(batchSize), device);
    }

    @Override
    public TextSummarizer load() {
        GenerationConfig g = settings(generation, numReturnSequences, Summarizer.modelGenerationConfig(Path.of(modelDir)));
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

    /**
     * The settings the workers generate with: the given ones over the model's, then
     * {@code numReturnSequences} sequences per text (GenerationOverrides always asks for one, since
     * eval scores one; a model's own num_return_sequences is not applied). An impossible count
     * (greedy with more than one, more than num_beams) throws GenerationConfig's
     * IllegalArgumentException naming num_return_sequences; the launcher checks it first.
     */
    private static GenerationConfig settings(GenerationOverrides given, int numReturnSequences, GenerationConfig model) {
        return given.over(model).withNumReturnSequences(numReturnSequences);
    }

    private static TextSummarizer summarizing(Summarizer s) {
        // Summarizer holds per-call state only; the model is read-only, so threads may share it.
        return new TextSummarizer() {
            @Override
            public List<String> summarize(List<String> texts) {
                return summarizeWithCandidates(texts).stream().map(BatchSummary::summary).toList();
            }

            @Override
            public List<BatchSummary> summarizeWithCandidates(List<String> texts) {
                List<BatchSummary> out = new ArrayList<>(texts.size());
                for (Summarizer.Summary sum : s.summarize(texts)) {
                    List<BatchSummary.Candidate> candidates = new ArrayList<>();
                    if (sum.candidates().size() > 1) {
                        for (Summarizer.Candidate c : sum.candidates()) candidates.add(new BatchSummary.Candidate(c.text(), c.score()));
                    }
                    out.add(new BatchSummary(sum.text(), candidates));
                }
                return out;
            }
        };
    }
}
