package dev.resumo.train.demo;

import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import dev.resumo.t5.T5Model;
import dev.resumo.train.StopSignal;
import dev.resumo.train.TrainConfig;
import dev.resumo.train.TrainingJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The offline demo: a small T5 (embedded config) initialised at random like HF's _init_weights,
 * fine-tuned on the embedded Portuguese news corpus with the embedded SentencePiece model — no
 * network, nothing to download — then evaluated against Lead-3.
 */
public final class Demo {
    private static final String RESOURCES = "/dev/resumo/train/demo/";
    /** Where the embedded files are unpacked inside the run directory (the data the run used). */
    public static final String DATA_DIR = "demo-data";

    private Demo() {}

    /**
     * The demo's settings: short sequences (the corpus's texts are ~90 words), Adafactor at a
     * higher constant lr than fine-tuning uses (the model starts from random weights), greedy
     * summaries of at most 48 tokens, the checkpoint with the best ROUGE-L kept.
     */
    public static TrainConfig config(Path outputDir, long maxSteps, int threads, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "random init (embedded demo config)");
        m.put("tokenizer", "embedded demo spiece.model");
        m.put("dataset", outputDir.resolve(DATA_DIR).resolve("corpus.jsonl").toString());
        m.put("experiment-name", "demo");
        m.put("output-dir", outputDir.toString());
        m.put("max-source-length", 192);
        m.put("max-target-length", 48);
        m.put("epochs", 1000);
        m.put("max-steps", maxSteps);
        m.put("batch-size", 8);
        m.put("eval-batch-size", 24);
        m.put("lr", 3e-3);
        m.put("eval-steps", Math.max(1, maxSteps / 4));
        m.put("save-steps", Math.max(1, maxSteps / 4));
        m.put("log-steps", 10);
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("max-new-tokens", 48);
        m.put("no-repeat-ngram-size", 3);
        // From random weights the eval loss keeps falling after the summaries stop improving; keep the best summarizer.
        m.put("best-metric", "rougeL");
        return TrainConfig.defaults().with(m);
    }

    public static TrainingJob.Outcome run(TrainConfig c, StopSignal stop, PrintStream out, Consumer<String> warn)
            throws IOException {
        Path data = Path.of(c.outputDir()).resolve(DATA_DIR);
        Files.createDirectories(data);
        for (String f : new String[] {"config.json", "corpus.jsonl", "spiece.model"}) unpack(f, data.resolve(f));
        T5Config modelConfig = T5Config.load(data.resolve("config.json"));
        T5Model model = T5Init.random(modelConfig, new Xoshiro256Random(c.seed()));
        return TrainingJob.run(c, model, data.resolve("spiece.model"), "embedded demo corpus (Portuguese news, "
                + "written for Resumo's offline demo)", stop, out, warn);
    }

    private static void unpack(String name, Path to) throws IOException {
        try (InputStream in = Demo.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IOException("demo resource " + RESOURCES + name + " is missing from the jar");
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
