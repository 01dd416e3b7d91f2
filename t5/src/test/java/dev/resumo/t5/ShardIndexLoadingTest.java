package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sharded folder's index is checked before and after reading shards: names must stay inside the
 * model folder (an index from the hub must not read arbitrary local files), every entry must be a
 * file name, every tensor it lists must be in the shard it names, and no tensor may be in two shards.
 */
class ShardIndexLoadingTest {

    /** A valid one-shard folder; returns the folder and leaves the full weights in the shard. */
    private static Path shardedFolder(Path root, String name) throws Exception {
        Path single = root.resolve(name + "-single");
        T5Checkpoint.save(TinyModels.relu(3), single);
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        Files.copy(single.resolve(T5Checkpoint.CONFIG), dir.resolve(T5Checkpoint.CONFIG));
        Files.copy(single.resolve(T5Checkpoint.WEIGHTS), dir.resolve("model-00001-of-00001.safetensors"));
        return dir;
    }

    /** weight_map with every real tensor in {@code shardValue} (raw JSON), plus {@code extra} entries. */
    private static void writeIndex(Path dir, String shardValue, String extra) throws Exception {
        Map<String, Tensor> all = Safetensors.readAll(dir.resolve("model-00001-of-00001.safetensors"));
        StringBuilder map = new StringBuilder();
        for (String tensor : all.keySet()) {
            map.append(map.isEmpty() ? "" : ", ").append('"').append(tensor).append("\": ").append(shardValue);
        }
        if (!extra.isEmpty()) map.append(", ").append(extra);
        Files.writeString(dir.resolve(T5Checkpoint.SHARD_INDEX), "{\"metadata\": {}, \"weight_map\": {" + map + "}}");
    }

    private static String loadError(Path dir) {
        String msg = assertThrows(IllegalArgumentException.class, () -> T5Checkpoint.load(dir)).getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        assertTrue(msg.contains(T5Checkpoint.SHARD_INDEX), "names the index: " + msg);
        return msg;
    }

    @Test
    void aValidIndexLoads(@TempDir Path root) throws Exception {
        Path dir = shardedFolder(root, "ok");
        writeIndex(dir, "\"model-00001-of-00001.safetensors\"", "");
        T5Checkpoint.load(dir);
    }

    @Test
    void shardNamesOutsideTheFolderAreRefused(@TempDir Path root) throws Exception {
        Path dir = shardedFolder(root, "m");
        // A real, loadable safetensors file outside the folder: before the fix it was read and used.
        Path outside = root.resolve("outside.safetensors");
        Files.copy(dir.resolve("model-00001-of-00001.safetensors"), outside);
        for (String bad : new String[] {outside.toAbsolutePath().toString(), "../outside.safetensors", "sub/../../outside.safetensors"}) {
            writeIndex(dir, "\"" + bad.replace("\\", "\\\\") + "\"", "");
            String msg = loadError(dir);
            assertTrue(msg.contains("is a path, not a plain file name"), bad + ": " + msg);
            assertTrue(msg.contains("weight_map entry \""), "names the entry: " + msg);
        }
        writeIndex(dir, "\"..\"", "");
        assertTrue(loadError(dir).contains("shard \"..\" is not a file name"));
    }

    @Test
    void aShardThatIsALinkOutOfTheFolderIsRefused(@TempDir Path root) throws Exception {
        Path dir = shardedFolder(root, "m");
        Path outside = root.resolve("outside.safetensors");
        Files.move(dir.resolve("model-00001-of-00001.safetensors"), outside);
        try {
            Files.createSymbolicLink(dir.resolve("model-00001-of-00001.safetensors"), outside);
        } catch (UnsupportedOperationException | java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no symbolic links here: " + e);
        }
        writeIndex(dir, "\"model-00001-of-00001.safetensors\"", "");
        assertTrue(loadError(dir).contains("outside the model folder"));
    }

    @Test
    void aTensorTheIndexPlacesInAShardThatLacksItIsRefused(@TempDir Path root) throws Exception {
        Path dir = shardedFolder(root, "m");
        writeIndex(dir, "\"model-00001-of-00001.safetensors\"",
                "\"encoder.block.9.layer.0.SelfAttention.q.weight\": \"model-00001-of-00001.safetensors\"");
        String msg = loadError(dir);
        assertTrue(msg.contains("names tensor \"encoder.block.9.layer.0.SelfAttention.q.weight\" in shard "
                + "\"model-00001-of-00001.safetensors\", but that shard has no such tensor"), msg);
    }

    @Test
    void aTensorInTwoShardsIsRefused(@TempDir Path root) throws Exception {
        // A stale second shard that still holds shared.weight (zeros). The copy in the shard read last
        // won silently (transformers 5.24 does the same); the index names the first shard.
        Path dir = shardedFolder(root, "m");
        Path first = dir.resolve("model-00001-of-00002.safetensors");
        Files.move(dir.resolve("model-00001-of-00001.safetensors"), first);
        Map<String, Tensor> all = new java.util.TreeMap<>(Safetensors.readAll(first));
        Tensor norm = all.remove("encoder.final_layer_norm.weight");
        Safetensors.write(first, all);
        Map<String, Tensor> second = new java.util.TreeMap<>();
        second.put("encoder.final_layer_norm.weight", norm);
        second.put("shared.weight", Tensor.zeros(all.get("shared.weight").shape()));
        Safetensors.write(dir.resolve("model-00002-of-00002.safetensors"), second);
        StringBuilder map = new StringBuilder("\"encoder.final_layer_norm.weight\": \"model-00002-of-00002.safetensors\"");
        for (String name : all.keySet()) map.append(", \"").append(name).append("\": \"model-00001-of-00002.safetensors\"");
        Files.writeString(dir.resolve(T5Checkpoint.SHARD_INDEX), "{\"weight_map\": {" + map + "}}");
        String msg = loadError(dir);
        assertTrue(msg.contains("tensor \"shared.weight\" is in both shard \"model-00001-of-00002.safetensors\" and shard "
                + "\"model-00002-of-00002.safetensors\" (the index names \"model-00001-of-00002.safetensors\")"), msg);
    }

    @Test
    void aNonStringEntryAndMalformedJsonAreOneLineErrors(@TempDir Path root) throws Exception {
        Path dir = shardedFolder(root, "m");
        writeIndex(dir, "5", "");
        String nonString = loadError(dir);
        assertTrue(nonString.contains("is 5, not a shard file name"), nonString);

        Files.writeString(dir.resolve(T5Checkpoint.SHARD_INDEX), "{\"weight_map\": {\"a\": }");
        String malformed = loadError(dir);
        assertTrue(malformed.contains("not valid JSON (line 1"), malformed);
    }
}
