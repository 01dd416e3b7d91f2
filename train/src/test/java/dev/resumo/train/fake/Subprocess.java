package dev.resumo.train.fake;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@link FakeTrainingMain} in its own JVM with the test class path; output goes to a log file. */
public final class Subprocess {
    private Subprocess() {}

    public static Process start(Path runDir, long delayMillis, Path log, String... flags) throws IOException {
        // SIGHUP at its default whatever this JVM inherited: under nohup (a CI started that way) the
        // child would inherit the ignore, and a test of what SIGHUP does would see nothing happen.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=HUP"));
        cmd.addAll(command(runDir, delayMillis, flags));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** As {@link #start}, with SIGHUP ignored from the JVM's start, as `nohup` runs it. */
    public static Process startIgnoringHangUp(Path runDir, long delayMillis, Path log, String... flags) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "trap '' HUP; exec \"$@\"", "nohup-like"));
        cmd.addAll(command(runDir, delayMillis, flags));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs another entry point of these fixtures ({@code main}'s own arguments) in its own JVM, as {@link #start} does. */
    public static Process startMain(Class<?> main, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Sends {@code signal} (e.g. "HUP") to the process. */
    public static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new AssertionError("kill -" + signal + " " + p.pid() + " failed");
    }

    private static List<String> command(Path runDir, long delayMillis, String... flags) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "--add-modules", "jdk.incubator.vector", // the engine's kernels (gradient clipping too)
                "-cp", System.getProperty("java.class.path"),
                FakeTrainingMain.class.getName(), runDir.toString(), Long.toString(delayMillis)));
        cmd.addAll(List.of(flags));
        return cmd;
    }

    /** Waits until a complete checkpoint at or after minStep exists; fails if the process ends first. */
    public static void awaitCheckpoint(Process p, Path runDir, long minStep, Path log) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (newestCompleteStep(runDir) >= minStep) return;
            if (!p.isAlive()) throw new AssertionError("training process ended early:\n" + Files.readString(log));
            Thread.sleep(20);
        }
        p.destroyForcibly();
        throw new AssertionError("no checkpoint at step ≥ " + minStep + " within 60 s:\n" + Files.readString(log));
    }

    public static long newestCompleteStep(Path runDir) throws IOException {
        Path ck = runDir.resolve("checkpoints");
        if (!Files.isDirectory(ck)) return -1;
        long best = -1;
        try (var s = Files.list(ck)) {
            for (Path d : (Iterable<Path>) s::iterator) {
                String n = d.getFileName().toString();
                if (n.matches("step-\\d+") && Files.exists(d.resolve("COMPLETE"))) best = Math.max(best, Long.parseLong(n.substring(5)));
            }
        }
        return best;
    }

    static String sep() {
        return File.pathSeparator;
    }
}
