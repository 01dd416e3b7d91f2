package dev.resumo.t5;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A {@code model.safetensors.index.json} or {@code pytorch_model.bin.index.json} (the same layout):
 * which shard file holds each tensor. Shard names come from
 * the model's author (for a fetched model, from the network), so each must be a plain file name inside
 * the model folder: no separator, no {@code ..}, not absolute, and its real path (links resolved)
 * must stay in the folder. Otherwise an index could make the loader read any local file.
 */
public record ShardIndex(Path file, Map<String, String> tensorToShard) {

    public ShardIndex {
        tensorToShard = Collections.unmodifiableMap(new LinkedHashMap<>(tensorToShard));
    }

    /** Reads and checks the index; every problem is one line naming the index file (and the entry). */
    public static ShardIndex read(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(index));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(index + ": not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + JsonErrors.reason(e) + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(index + ": cannot read (" + e.getMessage() + ")");
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new IllegalArgumentException(index + ": no \"weight_map\" object naming the shards");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = index + ": weight_map entry \"" + e.getKey() + "\"";
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException(where + " is " + e.getValue() + ", not a shard file name");
            }
            String shard = e.getValue().textValue();
            String problem = plainFileNameProblem(shard);
            if (problem != null) throw new IllegalArgumentException(where + ": shard \"" + shard + "\" " + problem);
            entries.put(e.getKey(), shard);
        }
        return new ShardIndex(index, entries);
    }

    /**
     * Why {@code name} is not a plain file name for a file in the model folder, or null if it is.
     * Shared with the hub downloader, which builds download paths from the same names.
     */
    public static String plainFileNameProblem(String name) {
        if (name.isEmpty()) return "is empty; expected a file name in the model folder";
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf(':') >= 0 || name.indexOf('\0') >= 0) {
            return "is a path, not a plain file name in the model folder";
        }
        if (name.equals(".") || name.equals("..")) return "is not a file name in the model folder";
        return null;
    }

    /** The distinct shard file names, sorted. */
    public SortedSet<String> shards() {
        return new TreeSet<>(tensorToShard.values());
    }

    /**
     * The shard's path in the model folder, checked after resolving links so that a shard that is a
     * link to a file elsewhere is refused too.
     */
    public Path resolveShard(String shard) {
        Path dir = file.toAbsolutePath().getParent();
        Path path = dir.resolve(shard);
        if (!Files.exists(path)) throw new IllegalArgumentException(file + ": names shard \"" + shard + "\", but " + path + " does not exist");
        try {
            Path realDir = dir.toRealPath();
            Path real = path.toRealPath();
            if (!real.getParent().equals(realDir)) {
                throw new IllegalArgumentException(file + ": shard \"" + shard + "\" resolves to " + real
                        + ", outside the model folder " + realDir + "; refusing to read it");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot resolve shard \"" + shard + "\" (" + e.getMessage() + ")");
        }
        return path;
    }
}
