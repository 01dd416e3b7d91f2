package dev.resumo.cli;

import dev.resumo.batch.BatchOptions;
import dev.resumo.batch.GenerationOptions;
import dev.resumo.t5.Summarizer;
import dev.resumo.t5.T5Model;
import dev.resumo.t5.generate.GenerationConfig;
import dev.resumo.tokenizer.T5Tokenizer;
import dev.resumo.batch.ParquetInput;
import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.parquet.ParquetFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * `resumo batch` loads the model on the workers, where a broken checkpoint, tokenizer or setting
 * would fail every row (a stack trace, or all rows dead-lettered). A local model folder is loaded
 * here once first, the way `resumo summarize` loads it, so such a mistake is one line and exit 2.
 * Local Parquet inputs are looked into here too (their footers only), so a column name's typo is
 * said before the model loads, not by the workers after it.
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
        GenerationConfig g = ReturnSequencesFlag.apply(o.getNumReturnSequences(), GenerationFlags.config(GenerationOptions.from(o), dir, err));
        try {
            return new Summarizer(tokenizer, model, g, o.getPrefix(), o.getMaxSourceLength(), o.getBatchSize());
        } catch (IllegalArgumentException e) {
            throw new UserError(GenerationFlags.flagName(e.getMessage()));
        }
    }

    /**
     * Each local Parquet file must be Parquet with both columns readable, as the workers require;
     * whether any of them has a row.
     */
    static boolean parquetFilesHaveRows(List<Path> files, BatchOptions o) {
        long rows = 0;
        for (Path f : files) {
            try (ParquetFile parquet = ParquetFile.open(f)) {
                ParquetInput.requireColumns(parquet, f.toString(), o.getIdColumn(), o.getTextColumn());
                rows += parquet.rowCount();
            } catch (DatasetException e) {
                throw new UserError(e.getMessage());
            }
        }
        return rows > 0;
    }

    /**
     * A pattern that does not end in .parquet is read as JSON lines: Parquet files it matches
     * (`corpus/*` over a folder of them) would become one dead letter of binary per "line".
     */
    static void refuseParquetAsJsonLines(String pattern, List<String> matched) {
        if (ParquetInput.isParquet(pattern)) return;
        for (String file : matched) {
            if (ParquetInput.isParquet(file)) {
                throw new UserError("--input " + pattern + ": matches Parquet files (" + file + "), which are read as Parquet only"
                        + " when the pattern ends in .parquet (e.g. " + pattern.replaceFirst("[^/]*$", "*.parquet")
                        + "); a pattern that does not is read as JSON lines");
            }
        }
    }
}
