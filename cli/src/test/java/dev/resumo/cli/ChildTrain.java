package dev.resumo.cli;

import dev.resumo.engine.rng.Xoshiro256Random;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Init;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `resumo train` in a child JVM against a loopback hub, for the tests that need a real process (signals, downloads). */
final class ChildTrain {
    private ChildTrain() {}

    /** A model folder with the demo's config and tokenizer and random weights, under {@code dir}/model. */
    static Path demoShapedModel(Path dir) throws Exception {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        copyDemoResource("config.json", model.resolve("demo-config.json"));
        copyDemoResource("spiece.model", model.resolve("spiece.model"));
        T5Checkpoint.save(T5Init.random(T5Config.load(model.resolve("demo-config.json")), new Xoshiro256Random(1)), model);
        return model;
    }

    /**
     * `resumo train ARGS` with this JVM's flags and class path, user.home under {@code tmp}/home (the
     * hub cache), HF_ENDPOINT at {@code hub}, no HF_TOKEN, output and errors into {@code tmp}/out.txt.
     */
    static ProcessBuilder process(Path tmp, URI hub, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> !a.startsWith("-agentlib")).toList());
        cmd.addAll(List.of("-Duser.home=" + tmp.resolve("home"), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        pb.environment().put("HF_ENDPOINT", hub.toString());
        pb.environment().remove("HF_TOKEN");
        return pb;
    }

    private static void copyDemoResource(String name, Path to) throws Exception {
        try (InputStream in = ChildTrain.class.getResourceAsStream("/dev/resumo/train/demo/" + name)) {
            Files.copy(in, to);
        }
    }
}
