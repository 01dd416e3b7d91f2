package dev.resumo.t5.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shard names the downloader turns into cache paths: never a path out of the cache folder. */
class ShardIndexNamesTest {

    private static String refusal(Path dir, String weightMap) throws Exception {
        Path index = dir.resolve(ModelDownloader.SHARD_INDEX);
        Files.writeString(index, "{\"weight_map\": " + weightMap + "}");
        return assertThrows(HubException.class, () -> ModelDownloader.shardFiles(index)).getMessage();
    }

    @Test
    void absoluteClimbingAndNonStringShardNamesAreRefused(@TempDir Path dir) throws Exception {
        for (String bad : new String[] {"/tmp/outside.safetensors", "../outside.safetensors", "sub/x.safetensors",
                "..\\\\x.safetensors"}) {
            String msg = refusal(dir, "{\"shared.weight\": \"" + bad + "\"}");
            assertTrue(msg.contains("is not a plain .safetensors file name"), bad + ": " + msg);
        }
        String nonString = refusal(dir, "{\"shared.weight\": 5}");
        assertTrue(nonString.contains("weight_map entry \"shared.weight\" is 5, not a shard file name"), nonString);
    }

    @Test
    void aMalformedIndexIsAOneLineError(@TempDir Path dir) throws Exception {
        Path index = dir.resolve(ModelDownloader.SHARD_INDEX);
        Files.writeString(index, "{\"weight_map\": {\"a\": }");
        String msg = assertThrows(HubException.class, () -> ModelDownloader.shardFiles(index)).getMessage();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.contains("not a valid shard index (line 1"), msg);
    }

    @Test
    void plainNamesAreAccepted(@TempDir Path dir) throws Exception {
        Path index = dir.resolve(ModelDownloader.SHARD_INDEX);
        Files.writeString(index, "{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"}}");
        assertEquals(Set.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"),
                Set.copyOf(ModelDownloader.shardFiles(index)));
    }
}
