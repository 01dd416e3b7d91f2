package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.io.TorchCheckpoint;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharded torch checkpoints (pytorch_model.bin.index.json + pytorch_model-0000N-of-0000M.bin; the
 * t5 module's t5-variants/sharded-bin fixture, made by transformers) where the CLI takes weights:
 * --model's help names the layout, a broken set is a one-line error, and `resumo convert` reads the
 * index into one safetensors file.
 */
class ShardedTorchCheckpointCliTest {
    private static final List<String> SHARDS = List.of("pytorch_model-00001-of-00003.bin",
            "pytorch_model-00002-of-00003.bin", "pytorch_model-00003-of-00003.bin");

    @TempDir
    Path dir;

    private static Path fixture() {
        return Path.of(System.getProperty("resumo.root", ".."), "t5", "src", "test", "resources", "t5-variants", "sharded-bin");
    }

    private Path copyOfFixture() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("model"));
        try (Stream<Path> files = Files.list(fixture())) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        return copy;
    }

    @Test
    void modelHelpNamesEveryLayoutTheLoaderTakes() {
        for (String command : new String[] {"summarize", "eval", "score"}) {
            String help = CliRun.run(command, "--help").out().replaceAll("\\s+", " ");
            for (String file : new String[] {T5Checkpoint.WEIGHTS, T5Checkpoint.SHARD_INDEX, T5Checkpoint.TORCH_WEIGHTS,
                    T5Checkpoint.TORCH_SHARD_INDEX}) {
                assertTrue(help.contains(file), command + " --help names " + file + ": " + help);
            }
        }
    }

    @Test
    void aMissingShardIsAOneLineErrorNamingTheIndex() throws IOException {
        Path model = copyOfFixture();
        Files.delete(model.resolve(SHARDS.get(1)));
        CliRun r = CliRun.run("summarize", "--model", model.toString(), "--text", "Um texto.");
        assertEquals(2, r.code(), r.err());
        assertEquals("resumo summarize: --model " + model.resolve(T5Checkpoint.TORCH_SHARD_INDEX) + ": names shard \""
                + SHARDS.get(1) + "\", but " + model.resolve(SHARDS.get(1)).toAbsolutePath() + " does not exist\n", r.err());
    }

    @Test
    void convertReadsEveryShardIntoOneSafetensorsFileThatLoadsAsTheSameModel() throws IOException {
        Path model = copyOfFixture();
        Path output = dir.resolve("out").resolve(T5Checkpoint.WEIGHTS);
        Files.createDirectories(output.getParent());
        CliRun r = CliRun.run("convert", "--input", model.resolve(T5Checkpoint.TORCH_SHARD_INDEX).toString(),
                "--output", output.toString());
        assertEquals(0, r.code(), r.err());
        // the state dict holds every embedding name on shared.weight's storage (as transformers 4.x saved it)
        String tied = r.out().lines().filter(l -> l.startsWith("left out tied names: ")).findFirst().orElse("");
        assertTrue(tied.contains("encoder.embed_tokens.weight=shared.weight") && tied.contains("decoder.embed_tokens.weight=shared.weight")
                && tied.chars().filter(c -> c == '=').count() == 2, r.out());

        Map<String, Tensor> shards = new TreeMap<>();
        for (String shard : SHARDS) shards.putAll(TorchCheckpoint.load(model.resolve(shard)));
        shards.keySet().removeAll(List.of("encoder.embed_tokens.weight", "decoder.embed_tokens.weight"));
        Map<String, Tensor> written = Safetensors.readAll(output);
        assertEquals(shards.keySet(), written.keySet());
        shards.forEach((name, t) -> assertArrayEquals(t.toArray(), written.get(name).toArray(), 0f, name));

        Files.copy(model.resolve(T5Checkpoint.CONFIG), output.resolveSibling(T5Checkpoint.CONFIG));
        T5Model converted = T5Checkpoint.load(output.getParent()), original = T5Checkpoint.load(model);
        original.parameters().forEach((name, t) -> assertArrayEquals(t.toArray(), converted.parameters().get(name).toArray(), 0f, name));
    }

    @Test
    void convertOfABrokenIndexIsAOneLineError() throws IOException {
        Path model = copyOfFixture();
        Path index = model.resolve(T5Checkpoint.TORCH_SHARD_INDEX);
        Files.writeString(index, Files.readString(index).replace(SHARDS.get(0), "../" + SHARDS.get(0)));
        Path output = dir.resolve("x.safetensors");
        CliRun r = CliRun.run("convert", "--input", index.toString(), "--output", output.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("resumo convert: --input " + index + ": weight_map entry \"")
                && r.err().contains("shard \"../" + SHARDS.get(0) + "\" is a path, not a plain file name"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(!Files.exists(output), "nothing written");
    }
}
