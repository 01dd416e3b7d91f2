package dev.resumo.cli;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `resumo train` (or another command) in a child JVM against a loopback hub, for the tests that need a real process (signals, downloads). */
final class ChildTrain {
    private ChildTrain() {}

    /**
     * `resumo train ARGS` with this JVM's flags and class path, user.home under {@code tmp}/home (the
     * hub cache), HF_ENDPOINT at {@code hub}, no HF_TOKEN, output and errors into {@code tmp}/out.txt.
     */
    static ProcessBuilder process(Path tmp, URI hub, String... args) {
        return command(tmp, hub, "train", args);
    }

    /** As {@link #process}, for `resumo COMMAND ARGS` (HF_ENDPOINT is read from the environment, so a child it is). */
    static ProcessBuilder command(Path tmp, URI hub, String command, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> !a.startsWith("-agentlib")).toList());
        cmd.addAll(List.of("-Duser.home=" + tmp.resolve("home"), "-cp", System.getProperty("java.class.path"), Main.class.getName(), command));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        pb.environment().put("HF_ENDPOINT", hub.toString());
        pb.environment().remove("HF_TOKEN");
        return pb;
    }
}
