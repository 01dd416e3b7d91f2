package dev.resumo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.t5.Summarizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The task prefix a model folder carries: config.json's task_specific_params.summarization.prefix,
 * which `resumo train` writes and transformers' summarization pipeline reads (it puts that prefix
 * before every text). A model fine-tuned with `--prefix "resuma: "` is then summarized, scored,
 * served and batch-run with the prefix it learned, as in transformers, not with "summarize: ".
 * No such field, or no readable config.json: {@link Summarizer#DEFAULT_PREFIX}.
 */
final class ModelPrefix {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String HELP = "put before every text (default: the model's own, config.json task_specific_params."
            + "summarization.prefix as `resumo train` saves it and transformers' pipeline reads it, else \"summarize: \")";

    private ModelPrefix() {}

    static String saved(Path modelDir) {
        try {
            JsonNode prefix = JSON.readTree(modelDir.resolve("config.json").toFile()).at("/task_specific_params/summarization/prefix");
            return prefix.isTextual() ? prefix.asText() : Summarizer.DEFAULT_PREFIX;
        } catch (IOException | RuntimeException e) {
            return Summarizer.DEFAULT_PREFIX; // the model loader reports an unreadable config.json itself, naming it
        }
    }
}
