package dev.resumo.train.track.mlflow;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mlflow.api.proto.Service.RunTag;

/**
 * The tags a run starts with: Resumo's (engine version, host, threads, device, Java) and MLflow's
 * own system tags that its UI shows (source, user, git commit when known).
 */
final class RunTags {
    static final String ENGINE_VERSION = "resumo.engine_version";
    static final String HOST = "resumo.host";
    static final String THREADS = "resumo.threads";
    static final String DEVICE = "resumo.device";
    static final String JAVA = "resumo.java";
    static final String STATUS = "resumo.status";
    static final String ERROR = "resumo.error";
    static final String RUN_KEY = "resumo.run_key";
    static final String GIT_COMMIT = "mlflow.source.git.commit";
    static final String USER = "mlflow.user";

    private RunTags() {}

    static List<RunTag> atStart(RunContext context, Map<String, String> env) {
        List<RunTag> tags = new ArrayList<>();
        add(tags, ENGINE_VERSION, context.engineVersion());
        add(tags, HOST, host());
        add(tags, THREADS, Integer.toString(context.threads()));
        add(tags, DEVICE, context.device());
        add(tags, JAVA, Runtime.version().toString());
        add(tags, "mlflow.source.name", "resumo");
        add(tags, "mlflow.source.type", "LOCAL");
        add(tags, USER, System.getProperty("user.name"));
        gitCommit(env).ifPresent(c -> add(tags, GIT_COMMIT, c));
        return tags;
    }

    static RunTag tag(String key, String value) {
        return RunTag.newBuilder().setKey(key).setValue(MlflowLimits.fit(value, MlflowLimits.TAG_VALUE_LENGTH)).build();
    }

    private static void add(List<RunTag> tags, String key, String value) {
        if (value != null && !value.isBlank()) tags.add(tag(key, value));
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    /** RESUMO_GIT_COMMIT, else the commit of the git checkout the JVM runs in; empty when neither is known. */
    static Optional<String> gitCommit(Map<String, String> env) {
        String given = env.get("RESUMO_GIT_COMMIT");
        if (given != null && !given.isBlank()) return Optional.of(given.trim());
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // no git on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
