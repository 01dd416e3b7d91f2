package dev.resumo.train.track.mlflow;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An extra MLflow server of the test's own, started with bin/mlflow-up on a free port, that the
 * test may stop, freeze (SIGSTOP: a server that accepts connections and never answers) and bring back.
 */
final class MlflowServerProcess {
    private final Path root;
    private final Path dir;
    private final int port;

    MlflowServerProcess(Path root, Path dir) throws IOException {
        this.root = root;
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    void start() throws IOException, InterruptedException {
        script("--port", Integer.toString(port), "--dir", dir.toString());
    }

    void stop() throws IOException, InterruptedException {
        script("--stop", "--dir", dir.toString());
    }

    /** SIGSTOP / SIGCONT to the server's process group (it was started with setsid: pid = group id). */
    void freeze(boolean frozen) throws IOException, InterruptedException {
        String pid = Files.readString(dir.resolve("server.pid")).trim();
        run(List.of("kill", frozen ? "-STOP" : "-CONT", "--", "-" + pid));
    }

    private void script(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/mlflow-up").toString()));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish within 300 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n" + out);
    }

    /** Stops the server if it runs (thawing it first if it was frozen). */
    void close() throws IOException, InterruptedException {
        if (Files.exists(dir.resolve("server.pid"))) {
            try {
                freeze(false);
            } catch (IOException e) {
                // Not frozen, or already gone.
            }
            stop();
        }
    }
}
