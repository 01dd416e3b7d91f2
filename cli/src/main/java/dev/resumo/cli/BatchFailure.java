package dev.resumo.cli;

import dev.resumo.train.data.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A pipeline that failed on a file — its output folder removed or made read-only mid-run, a full
 * disk, an input file gone — is a problem of the machine, not a bug: one line saying what failed,
 * what the folder looks like now, and what the rerun needs, instead of the runner's stack trace.
 */
final class BatchFailure {
    private BatchFailure() {}

    /** The file-system failure under {@code failure} (a runner wraps it in its own exceptions), or null when it is something else. */
    static IOException fileProblem(Throwable failure) {
        if (networkProblem(failure) != null) return null; // an IOException of the runner's around a network one is no file either
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io) return io;
        }
        return null;
    }

    /**
     * What an input file the run could not read as asked said (not Parquet, a column missing, a
     * list column; the reader names the file), or null when the failure is something else.
     */
    static String inputProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // A read that failed (a connection reset, a file deleted mid-run) is the machine's problem,
            // said by networkProblem/fileProblem with exit 1, not a mistake in the input (exit 2).
            if (t instanceof DatasetException) return fileProblem(t) != null || networkProblem(t) != null ? null : firstLine(t.getMessage());
        }
        return null;
    }

    /**
     * The network failure under {@code failure}, or null: a cluster runner that cannot reach its
     * master (`-- --flinkMaster=nohost:1`) failed with an UnknownHostException, an IOException, and
     * was reported as "the pipeline failed on a file: nohost".
     */
    static IOException networkProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isNetwork(t)) return (IOException) t;
        }
        return null;
    }

    private static boolean isNetwork(Throwable t) {
        return t instanceof java.net.UnknownHostException || t instanceof java.net.SocketException
                || t instanceof java.net.SocketTimeoutException || t instanceof java.net.http.HttpConnectTimeoutException;
    }

    /** The one-line message for a run whose runner could not reach a host. */
    static String networkMessage(IOException problem) {
        String what = problem instanceof java.net.UnknownHostException ? "unknown host " : "";
        return "the runner could not reach its cluster: " + what
                + firstLine(problem.getMessage() == null ? problem.toString() : problem.getMessage())
                + "; check the cluster's address in the Beam options after -- (e.g. --flinkMaster, --sparkMaster)";
    }

    /** The one-line message for a run under --output {@code prefix} that failed with {@code problem}. */
    static String message(IOException problem, String prefix) {
        StringBuilder b = new StringBuilder("the pipeline failed on a file: ");
        b.append(firstLine(problem.getMessage() == null ? problem.toString() : problem.getMessage()));
        Path folder = localFolder(prefix);
        if (folder != null) {
            if (!Files.exists(folder)) b.append(" (").append(folder).append(" no longer exists)");
            else if (!Files.isDirectory(folder)) b.append(" (").append(folder).append(" is no longer a folder)");
            else if (!Files.isWritable(folder)) b.append(" (").append(folder).append(" is not writable: read-only?)");
        }
        b.append("; what the run summarized was not saved; run it again once --output ").append(prefix).append(" can be written");
        int earlier = shardsThere(prefix);
        if (earlier > 0) b.append(" (with --force: ").append(earlier).append(" shard files are there from before the failure)");
        return b.toString();
    }

    private static Path localFolder(String prefix) {
        if (prefix.contains("://")) return null;
        try {
            return Path.of(prefix).toAbsolutePath().getParent();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static int shardsThere(String prefix) {
        Path folder = localFolder(prefix);
        if (folder == null || !Files.isDirectory(folder)) return 0;
        String name = Path.of(prefix).getFileName().toString();
        try (var files = Files.list(folder)) {
            return (int) files.filter(f -> BatchOutputShards.isShard(name, f.getFileName().toString())).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse(s);
    }
}
