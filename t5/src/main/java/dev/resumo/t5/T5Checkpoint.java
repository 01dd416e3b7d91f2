package dev.resumo.t5;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.cpu.FiniteScan;
import dev.resumo.engine.io.Dtype;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.io.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

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
        if (Files.isRegularFile(index)) return loadShards(index, Safetensors::readAll);
        Path torch = dir.resolve(TORCH_WEIGHTS);
        if (Files.isRegularFile(torch)) return TorchCheckpoint.load(torch);
        Path torchIndex = dir.resolve(TORCH_SHARD_INDEX);
        if (Files.isRegularFile(torchIndex)) return loadShards(torchIndex, TorchCheckpoint::load);
        throw new IllegalArgumentException(dir + ": no " + WEIGHTS + " (nor " + SHARD_INDEX + ", " + TORCH_WEIGHTS + " or "
                + TORCH_SHARD_INDEX + ")");
    }

    /**
     * Every tensor of the shards an index lists, each shard read by {@code readShard} (safetensors
     * or torch.save: the index layout is the same). Tied names within one torch shard (one storage)
     * come out as separate names, as from a single pytorch_model.bin.
     */
    private static Map<String, Tensor> loadShards(Path indexFile, Function<Path, Map<String, Tensor>> readShard) {
        ShardIndex index = ShardIndex.read(indexFile);
        Map<String, Tensor> all = new LinkedHashMap<>();
        Map<String, String> shardOf = new LinkedHashMap<>();
        Map<String, Map<String, Tensor>> byShard = new LinkedHashMap<>();
        for (String shard : index.shards()) {
            Map<String, Tensor> tensors = readShard.apply(index.resolveShard(shard));
            byShard.put(shard, tensors);
            // A name in two shards (a stale shard left beside a re-saved set) made the copy in the
            // shard read last win, whatever the index said: the wrong weights, with nothing said.
            for (String name : tensors.keySet()) {
                String earlier = shardOf.putIfAbsent(name, shard);
                if (earlier != null) {
                    throw new IllegalArgumentException(indexFile + ": tensor \"" + name + "\" is in both shard \"" + earlier
                            + "\" and shard \"" + shard + "\" (the index names \"" + index.tensorToShard().get(name)
                            + "\"); a mixed set of files");
                }
            }
            all.putAll(tensors);
        }
        // An index entry whose shard lacks the tensor means a broken or mismatched set of files.
        for (var e : index.tensorToShard().entrySet()) {
            if (!byShard.get(e.getValue()).containsKey(e.getKey())) {
                throw new IllegalArgumentException(indexFile + ": names tensor \"" + e.getKey() + "\" in shard \""
                        + e.getValue() + "\", but that shard has no such tensor");
            }
        }
        return all;
    }

    /** Writes config.json and model.safetensors (F32, names sorted like HF) into {@code dir}. */
    public static void save(T5Model model, Path dir) throws IOException {
        save(model, dir, Dtype.F32);
    }

    /**
     * Writes config.json and model.safetensors into {@code dir}, the weights stored as {@code dtype}
     * (F32, or BF16 rounded to nearest even: half the file, for serving; training state stays F32).
     */
    public static void save(T5Model model, Path dir, Dtype dtype) throws IOException {
        Files.createDirectories(dir);
        model.config().save(dir.resolve(CONFIG));
        Safetensors.write(dir.resolve(WEIGHTS), new TreeMap<>(model.parameters()), dtype, Safetensors.PYTORCH_METADATA);
    }
}
