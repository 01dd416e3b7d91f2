package dev.resumo.cli;

import dev.resumo.batch.BatchOptions;
import dev.resumo.batch.ModelDirLoader;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.tokenizer.T5Tokenizer;
import java.nio.file.Path;

/**
 * `resumo batch` loads the model on the workers, where a broken checkpoint, tokenizer or setting
 * would fail every row (a stack trace, or all rows dead-lettered). A local model folder is loaded
 * here once first, the way `resumo summarize` loads it, so such a mistake is one line and exit 2.
 */
final class BatchLaunchChecks {
    private BatchLaunchChecks() {}

    /** The checked summarizer of a local model folder, or null for a remote one (read on the workers only). */
    static Summarizer modelAndSettings(BatchOptions o) {
        if (o.getModel().contains("://")) return null; // the launcher may not see it
        Path dir = Path.of(o.getModel());
        T5Model model = ModelLoading.model(dir);
        T5Tokenizer tokenizer = ModelLoading.tokenizer(o.getTokenizer(), dir);
        GenerationConfig base;
        try {
            base = Summarizer.modelGenerationConfig(dir);
        } catch (IllegalArgumentException e) {
            throw new UserError("--model " + e.getMessage());
        }
        try {
            GenerationConfig g = ModelDirLoader.settings(base, o.getMaxNewTokens(), o.getNumBeams());
            return new Summarizer(tokenizer, model, g, o.getPrefix(), o.getMaxSourceLength(), o.getBatchSize());
        } catch (IllegalArgumentException e) {
            throw new UserError(flagName(e.getMessage()));
        }
    }

    /** GenerationConfig and Summarizer name fields (max_new_tokens: ...); on the command line they are flags. */
    private static String flagName(String message) {
        int colon = message.indexOf(':');
        if (colon <= 0 || message.substring(0, colon).contains(" ")) return message;
        return "--" + message.substring(0, colon).replace('_', '-') + message.substring(colon);
    }
}
