package dev.resumo.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.engine.io.CheckpointFormatException;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.io.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sharded torch checkpoint (pytorch_model.bin.index.json + pytorch_model-0000N-of-0000M.bin, the
 * t5-variants/sharded-bin fixture that transformers 5.24 loads; its logits are compared in
 * T5VariantParityTest) gets the checks of a sharded safetensors folder: shard names stay in the
 * folder, every shard exists, every tensor is in the shard the index names, no tensor in two shards;
 * each refusal is one line naming the index file (or, for an unreadable shard, the shard).
 */
class TorchShardIndexLoadingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIRST = "pytorch_model-00001-of-00003.bin";
    private static final String SECOND = "pytorch_model-00002-of-00003.bin";
    private static final String THIRD = "pytorch_model-00003-of-00003.bin";

    @TempDir
    Path root;
    Path dir;
    Path index;

    @BeforeEach
    void copyFixture() throws IOException {
        Path fixture = T5VariantParityTest.root().resolve("sharded-bin");
        dir = Files.createDirectories(root.resolve("model"));
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        index = dir.resolve(T5Checkpoint.TORCH_SHARD_INDEX);
    }

    private ObjectNode weightMap() throws IOException {
        return (ObjectNode) JSON.readTree(index.toFile()).get("weight_map");
    }

    private void writeWeightMap(ObjectNode map) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("metadata");
        root.set("weight_map", map);
        Files.writeString(index, JSON.writeValueAsString(root));
    }

    /** The tensors the index places in {@code shard}. */
    private TreeSet<String> tensorsOf(ObjectNode map, String shard) {
        TreeSet<String> names = new TreeSet<>();
        map.properties().forEach(e -> {
            if (e.getValue().textValue().equals(shard)) names.add(e.getKey());
        });
        return names;
    }

    private String loadError() {
        String msg = assertThrows(IllegalArgumentException.class, () -> T5Checkpoint.load(dir)).getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        assertTrue(msg.startsWith(index.toString()), "names the index file: " + msg);
        return msg;
    }

    @Test
    void theFixtureIsWhatItSaysItIs() throws IOException {
        // the parity test's sharded-bin case is only a sharded-.bin test if the folder holds nothing else
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(new TreeSet<>(java.util.List.of("config.json", FIRST, SECOND, THIRD, T5Checkpoint.TORCH_SHARD_INDEX,
                            "reference.json", "reference.safetensors")),
                    new TreeSet<>(files.map(p -> p.getFileName().toString()).toList()));
        }
        assertEquals(new TreeSet<>(java.util.List.of(FIRST, SECOND, THIRD)), ShardIndex.read(index).shards());
    }

    @Test
    void loadsEveryTensorOfEveryShard() throws IOException {
        T5Model model = T5Checkpoint.load(dir);
        ObjectNode map = weightMap();
        int fromShards = 0;
        for (String shard : new String[] {FIRST, SECOND, THIRD}) {
            Map<String, ?> tensors = TorchCheckpoint.load(dir.resolve(shard));
            assertEquals(tensorsOf(map, shard), new TreeSet<>(tensors.keySet()), shard + " holds what the index says");
            fromShards += tensors.size();
        }
        // every name of the index, the aliased embedding copies included, is read; the model keeps
        // shared.weight once and the separate lm_head (untied v1.1)
        assertEquals(map.size(), fromShards);
        assertTrue(model.parameters().containsKey(T5ParameterNames.LM_HEAD), "separate lm_head kept");
    }

    @Test
    void aShardNameOutsideTheFolderIsRefused() throws IOException {
        // a real, loadable shard one folder up: read and used if the name were followed
        Files.move(dir.resolve(FIRST), root.resolve(FIRST));
        ObjectNode map = weightMap();
        for (String name : tensorsOf(map, FIRST)) map.put(name, "../" + FIRST);
        writeWeightMap(map);
        String msg = loadError();
        assertTrue(msg.contains("weight_map entry \"") && msg.contains("shard \"../" + FIRST + "\" is a path, not a plain file name"), msg);
    }

    @Test
    void aMissingShardIsNamed() throws IOException {
        Files.delete(dir.resolve(SECOND));
        String msg = loadError();
        assertTrue(msg.contains("names shard \"" + SECOND + "\", but " + dir.resolve(SECOND).toAbsolutePath() + " does not exist"), msg);
    }

    @Test
    void aTensorMissingFromTheShardTheIndexNamesIsRefused() throws IOException {
        // THIRD holds one tensor; the index moved to FIRST, which lacks it (a mismatched index)
        ObjectNode map = weightMap();
        String moved = tensorsOf(map, THIRD).first();
        map.put(moved, FIRST);
        writeWeightMap(map);
        String msg = loadError();
        assertTrue(msg.contains("names tensor \"" + moved + "\" in shard \"" + FIRST + "\", but that shard has no such tensor"), msg);
    }

    @Test
    void aTensorInTwoShardsIsRefused() throws IOException {
        // a stale shard from an earlier save beside the new set: the index names it for one tensor,
        // but it still holds all of SECOND's
        String stale = "pytorch_model-00002-of-00004.bin";
        Files.copy(dir.resolve(SECOND), dir.resolve(stale));
        ObjectNode map = weightMap();
        String first = tensorsOf(map, SECOND).first();
        map.put(first, stale);
        writeWeightMap(map);
        String msg = loadError();
        // the first of SECOND's other tensors in the shard's own order is the one named
        var named = java.util.regex.Pattern.compile("tensor \"([^\"]+)\"" + java.util.regex.Pattern.quote(" is in both shard \""
                + SECOND + "\" and shard \"" + stale + "\" (the index names \"" + SECOND + "\")")).matcher(msg);
        assertTrue(named.find(), msg);
        assertTrue(tensorsOf(map, SECOND).contains(named.group(1)), "a tensor the index places in " + SECOND + ": " + msg);
    }

    @Test
    void aShardThatIsNoTorchFileIsNamed() throws IOException {
        // a safetensors file under a shard's name
        Safetensors.write(dir.resolve(THIRD), Map.of("lm_head.weight", dev.resumo.engine.Tensor.zeros(2)));
        String msg = assertThrows(CheckpointFormatException.class, () -> T5Checkpoint.load(dir)).getMessage();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.contains(dir.resolve(THIRD).toString()) && msg.contains("not a PyTorch checkpoint"), msg);
    }

    @Test
    void safetensorsAndASingleBinComeBeforeTheTorchIndex() throws IOException {
        // transformers' order: model.safetensors, its index, pytorch_model.bin, then this index,
        // which here is broken and would be refused if it were read
        T5Model sharded = T5Checkpoint.load(dir);
        Files.writeString(index, "{not JSON");
        T5Checkpoint.save(sharded, root.resolve("saved"));
        Files.copy(root.resolve("saved").resolve(T5Checkpoint.WEIGHTS), dir.resolve(T5Checkpoint.WEIGHTS));
        assertEquals(sharded.config(), T5Checkpoint.load(dir).config());

        Files.delete(dir.resolve(T5Checkpoint.WEIGHTS));
        Path single = T5VariantParityTest.root().resolve("pytorch-bin");
        Files.copy(single.resolve(T5Checkpoint.CONFIG), dir.resolve(T5Checkpoint.CONFIG), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(single.resolve(T5Checkpoint.TORCH_WEIGHTS), dir.resolve(T5Checkpoint.TORCH_WEIGHTS));
        assertEquals(T5Checkpoint.load(single).parameters().keySet(), T5Checkpoint.load(dir).parameters().keySet());
    }
}
