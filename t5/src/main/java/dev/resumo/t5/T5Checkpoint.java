package dev.resumo.t5;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.cpu.FiniteScan;
import dev.resumo.engine.io.Dtype;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.io.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model directory in Hugging Face's layout: {@code config.json} plus the weights in
 * {@code model.safetensors} (or shards listed by {@code model.safetensors.index.json}, or a torch
 * {@code pytorch_model.bin}, or torch shards listed by {@code pytorch_model.bin.index.json}).
 */
public final class T5Checkpoint {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String SHARD_INDEX = "model.safetensors.index.json";
    /** Older checkpoints (most PTT5 ones): a torch.save zip read through a restricted unpickler. */
    public static final String TORCH_WEIGHTS = "pytorch_model.bin";
    /**
     * Large models saved by transformers before safetensors became its default (flan-t5-xl and -xxl,
     * many older fine-tunes): torch.save shards ({@code pytorch_model-00001-of-00002.bin}, ...) listed
     * by an index of the same layout as {@link #SHARD_INDEX}.
     */
    public static final String TORCH_SHARD_INDEX = "pytorch_model.bin.index.json";

    private T5Checkpoint() {}

    /** Loads config and weights; every problem is reported with the file it concerns. */
    public static T5Model load(Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": not a model directory");
        Path configFile = dir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            // Say which of the three it is: "no config.json" sent users looking for a file that was there.
            if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
                throw new IllegalArgumentException(dir + ": cannot read this folder (permission denied)");
            }
            if (Files.isDirectory(configFile)) throw new IllegalArgumentException(configFile + ": is a folder, not a file");
            throw new IllegalArgumentException(dir + ": no " + CONFIG);
        }
        T5Config config = T5Config.load(configFile);
        Map<String, Tensor> weights = loadWeights(dir);
        requireFinite(dir, weights);
        try {
            CheckpointTensors.Resolved resolved = CheckpointTensors.resolve(config, weights);
            return T5Model.of(resolved.config(), resolved.weights());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir + ": " + e.getMessage());
        }
    }

    /**
     * Refuses weights holding NaN or infinity, naming the tensor: such a checkpoint (a diverged
     * run saved anyway, a damaged file whose header still parses) otherwise loads, and every
     * summary comes out empty and every loss NaN with nothing said. One vectorized pass over
     * the values, small beside reading them from disk.
     */
    static void requireFinite(Path dir, Map<String, Tensor> weights) {
        for (var e : weights.entrySet()) {
            Tensor t = e.getValue();
            float[] values = t.isContiguous() ? t.data() : t.toArray();
            int offset = t.isContiguous() ? t.offset() : 0;
            int first = FiniteScan.firstNonFinite(values, offset, t.size());
            if (first < 0) continue;
            long count = FiniteScan.countNonFinite(values, offset, t.size());
            throw new IllegalArgumentException(dir + ": tensor \"" + e.getKey() + "\" holds " + count + " NaN or infinite value"
                    + (count == 1 ? "" : "s") + " (the first at flat index " + first + ", " + values[offset + first]
                    + "); the checkpoint is damaged or comes from a run that diverged");
        }
    }

    /** The weights files of a folder, in transformers' order of preference (safetensors first). */
    static Map<String, Tensor> loadWeights(Path dir) {
        Path single = dir.resolve(WEIGHTS);
        if (Files.isRegularFile(single)) return Safetensors.readAll(single);
        Path index = dir.resolve(SHARD_INDEX);
        if (Files.isRegularFile(index)) return ShardedCheckpoint.read(index).tensors();
        Path torch = dir.resolve(TORCH_WEIGHTS);
        if (Files.isRegularFile(torch)) return TorchCheckpoint.load(torch);
        Path torchIndex = dir.resolve(TORCH_SHARD_INDEX);
        if (Files.isRegularFile(torchIndex)) return ShardedCheckpoint.read(torchIndex).tensors();
        throw new IllegalArgumentException(dir + ": no " + WEIGHTS + " (nor " + SHARD_INDEX + ", " + TORCH_WEIGHTS + " or "
                + TORCH_SHARD_INDEX + ")");
    }

    /** Writes config.json and model.safetensors (F32, names sorted like HF; config.json's dtype "float32") into {@code dir}. */
    public static void save(T5Model model, Path dir) throws IOException {
        save(model, dir, Dtype.F32);
    }

    /**
     * Writes config.json and model.safetensors into {@code dir}, the weights stored as {@code dtype}
     * (F32, or BF16 rounded to nearest even: half the file, for serving; training state stays F32),
     * config.json's {@code dtype} naming that type.
     */
    public static void save(T5Model model, Path dir, Dtype dtype) throws IOException {
        Files.createDirectories(dir);
        model.config().save(dir.resolve(CONFIG), dtype);
        Safetensors.write(dir.resolve(WEIGHTS), new TreeMap<>(model.parameters()), dtype, Safetensors.PYTORCH_METADATA);
    }
}
