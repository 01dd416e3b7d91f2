package dev.resumo.train.demo;

import dev.resumo.train.data.Dataset;
import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.DatasetLoader;
import dev.resumo.train.data.DatasetOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The offline demo bundled in the jar (made by weights-tools/make_demo_corpus.py and
 * weights-tools/train_demo_spm.py): 240 short Brazilian Portuguese news texts with 1-2 sentence
 * summaries (192 train / 24 validation / 24 test), a 1,400-piece SentencePiece unigram model
 * (T5 ids, nmt_nfkc) and a small T5 v1.0 config (d_model 128, 2+2 layers, ReLU, tied, vocab 1504).
 */
public final class DemoData {
    public static final String CORPUS = "corpus.jsonl", SPIECE = "spiece.model", CONFIG = "config.json";
    private static final String BASE = "/dev/resumo/train/demo/";

    private DemoData() {}

    /** The demo corpus, validated strictly (it has no rejectable rows). */
    public static Dataset corpus() {
        try (InputStream in = open(CORPUS)) {
            return DatasetLoader.loadJsonLines(in, "demo/" + CORPUS, DatasetOptions.DEFAULT.withStrict(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A demo resource ({@link #CORPUS}, {@link #SPIECE}, {@link #CONFIG}) from the classpath. */
    public static InputStream open(String name) {
        InputStream in = DemoData.class.getResourceAsStream(BASE + name);
        if (in == null) throw new DatasetException("demo resource " + name + " is missing from the classpath");
        return in;
    }

    /** Copies the three demo files into {@code dir} (for code that loads a tokenizer or config from a path). */
    public static Path extractTo(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : new String[] {CORPUS, SPIECE, CONFIG}) {
                try (InputStream in = open(name)) {
                    Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo files to " + dir, e);
        }
    }
}
