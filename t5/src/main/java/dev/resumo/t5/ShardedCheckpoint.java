package dev.resumo.t5;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.io.TorchCheckpoint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of a sharded checkpoint: every shard a {@link ShardIndex} lists, read as safetensors
 * ({@code model.safetensors.index.json}) or as torch.save files through the restricted reader
 * ({@code pytorch_model.bin.index.json}, and any other {@code *.bin.index.json}), with the index and
 * the shards checked against each other. Used by the model loader and by {@code resumo convert}.
 */
public final class ShardedCheckpoint {
    private ShardedCheckpoint() {}

    /** Whether {@code index} lists torch.save shards (by its name, as transformers tells them apart). */
    public static boolean isTorchIndex(Path index) {
        return index.getFileName().toString().endsWith(".bin.index.json");
    }

    /**
     * Every tensor of every shard, and the names tied to an earlier name of the same shard (torch
     * shards keep one storage for tied embeddings, as a single pytorch_model.bin does; safetensors
     * has none). Each problem is one line naming the index file and the entry, or the shard.
     */
    public static TorchCheckpoint.StateDict read(Path indexFile) {
        boolean torch = isTorchIndex(indexFile);
        ShardIndex index = ShardIndex.read(indexFile);
        Map<String, Tensor> all = new LinkedHashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, String> shardOf = new LinkedHashMap<>();
        Map<String, Map<String, Tensor>> byShard = new LinkedHashMap<>();
        for (String shard : index.shards()) {
            Path file = index.resolveShard(shard);
            Map<String, Tensor> tensors;
            if (torch) {
                TorchCheckpoint.StateDict sd = TorchCheckpoint.read(file);
                tensors = sd.tensors();
                aliases.putAll(sd.aliases());
            } else {
                tensors = Safetensors.readAll(file);
            }
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
        return new TorchCheckpoint.StateDict(all, aliases);
    }
}
