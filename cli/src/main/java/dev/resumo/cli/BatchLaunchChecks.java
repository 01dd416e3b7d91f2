package dev.resumo.cli;

import dev.resumo.batch.BatchOptions;
import dev.resumo.batch.GenerationOptions;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.tokenizer.T5Tokenizer;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * `resumo batch` loads the model on the workers, where a broken checkpoint, tokenizer or setting
 * would fail every row (a stack trace, or all rows dead-lettered). A local model folder is loaded
 * here once first, the way `resumo summarize` loads it, so such a mistake is one line and exit 2.
 */
final class BatchLaunchChecks {
    private BatchLaunchChecks() {}

    /**
     * The checked summarizer of a local model folder, or null for a remote one (read on the workers
     * only). Its generation settings are the ones the workers will use: the flags given over the
     * folder's generation_config.json, with summarize's errors and warnings.
     */
    static Summarizer modelAndSettings(BatchOptions o, PrintStream err) {
        if (o.getModel().contains("://")) return null; // the launcher may not see it
        Path dir = Path.of(o.getModel());
        T5Model model = ModelLoading.model(dir);
        T5Tokenizer tokenizer = ModelLoading.tokenizer(o.getTokenizer(), dir);
        GenerationConfig g = GenerationFlags.config(GenerationOptions.from(o), dir, err);
        try {
            return new Summarizer(tokenizer, model, g, o.getPrefix(), o.getMaxSourceLength(), o.getBatchSize());
        } catch (IllegalArgumentException e) {
            throw new UserError(GenerationFlags.flagName(e.getMessage()));
        }
    }
}
