package dev.resumo.cli;

import dev.resumo.batch.BatchOptions;
import dev.resumo.engine.io.FileSync;
import dev.resumo.train.checkpoint.Durable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The shards of --output PREFIX (PREFIX-summaries-SSSSS-of-NNNNN.jsonl, PREFIX-dead-letters-...).
 * A second run under the same prefix with another shard count would leave both runs' shards side
 * by side — rows of two runs mixed under one prefix — so a run refuses to start over old shards
 * unless --force deletes them first.
 */
final class BatchOutputShards {
    private BatchOutputShards() {}

    static final List<String> KINDS = List.of("-summaries-", "-dead-letters-");

    /**
     * PREFIX-done.json, written last, only when the pipeline finished: the two outputs are written by
     * separate steps, so a run killed in between left a complete-looking set of summary shards with no
     * dead letters (or no shards at all); without this file no shard under the prefix is a whole result.
     */
    static final String DONE_SUFFIX = "-done.json";

    /** Writes PREFIX-done.json with the run's counts (nulls when the runner reported none). */
    static void markDone(BatchOptions o, dev.resumo.batch.BatchCounts counts) throws IOException {
        String json = counts.known()
                ? "{\"rows\": " + counts.rows() + ", \"summarized\": " + counts.summarized() + ", \"dead_letters\": " + counts.deadLetters() + "}\n"
                : "{\"rows\": null, \"summarized\": null, \"dead_letters\": null}\n";
        if (!o.getOutput().contains("://")) {
            markDoneLocally(Path.of(o.getOutput()), json);
            return;
        }
        FileSystems.setDefaultPipelineOptions(o);
        ResourceId marker = FileSystems.matchNewResource(o.getOutput() + DONE_SUFFIX, false);
        try (var out = java.nio.channels.Channels.newOutputStream(FileSystems.create(marker, "application/json"))) {
            out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /**
     * On a local disk the marker must not outlive the shards it vouches for: Beam closes its files
     * without fsync, so after a power cut a marker written after them could stand beside shards the
     * disk never received. So every shard is fsync'd and their folder synced first; then the marker
     * is written as Durable.writeAtomically writes (a temporary file, fsync'd, renamed, folder synced).
     * (Object stores, gs:// and s3://, keep what they acknowledged: nothing to do there.)
     */
    private static void markDoneLocally(Path prefix, String json) throws IOException {
        for (String shard : localShards(prefix)) FileSync.file(Path.of(shard));
        FileSync.folder(prefix.toAbsolutePath().getParent()); // the shards' names, before the marker's
        Durable.writeAtomically(Path.of(prefix + DONE_SUFFIX), json);
    }

    /**
     * The shards are named PREFIX-summaries-..., so PREFIX must end in a file-name part: "DIR/" (or
     * an existing folder) would give files named "-summaries-..." that read as options to rm and ls.
     */
    static void checkPrefix(String prefix) {
        boolean remote = prefix.contains("://");
        boolean endsInSeparator = prefix.endsWith("/") || (!remote && prefix.endsWith(java.io.File.separator));
        if (endsInSeparator || (!remote && Files.isDirectory(Path.of(prefix)))) {
            String dir = endsInSeparator ? prefix.substring(0, prefix.length() - 1) : prefix;
            throw new UserError("--output " + prefix + ": " + (endsInSeparator ? "ends with a path separator" : "is a folder")
                    + "; it is the start of the file names (PREFIX-summaries-*.jsonl): give a prefix such as " + dir + "/out");
        }
    }

    static void claim(BatchOptions o, boolean force, PrintStream err) throws IOException {
        String prefix = o.getOutput();
        List<String> found = shards(o);
        if (found.isEmpty()) return;
        if (!force) {
            throw new UserError("--output " + prefix + ": " + found.size() + " files of an earlier run are there (" + found.get(0)
                    + (found.size() > 1 ? ", ..." : "") + "); choose another prefix, or add --force to delete them");
        }
        // The marker first: a --force run killed while deleting must not leave the old marker over partial shards.
        found.sort(java.util.Comparator.comparing((String f) -> !f.endsWith(DONE_SUFFIX)));
        delete(found, prefix.contains("://"));
        err.println("resumo batch: --force: deleted " + found.size() + " files of an earlier run under " + prefix);
    }

    /** Deletes every shard under --output (those of a run that had no rows: empty files that look like a result). */
    static void deleteAll(BatchOptions o) throws IOException {
        delete(shards(o), o.getOutput().contains("://"));
    }

    private static List<String> shards(BatchOptions o) throws IOException {
        String prefix = o.getOutput();
        return prefix.contains("://") ? remoteShards(o, prefix) : localShards(Path.of(prefix));
    }

    private static void delete(List<String> found, boolean remote) throws IOException {
        if (remote) {
            List<ResourceId> ids = new ArrayList<>();
            for (String f : found) ids.add(FileSystems.matchNewResource(f, false));
            FileSystems.delete(ids);
        } else {
            for (String f : found) Files.delete(Path.of(f));
        }
    }

    /**
     * A local --output's folder is created and written to once before the pipeline starts: the
     * shards are only written after every row was summarized, so a folder that cannot take them
     * would otherwise cost the whole run's work.
     */
    static void checkWritable(String prefix) {
        if (prefix.contains("://")) return; // a cluster file system: the workers write it, the launcher may not reach it
        Path folder = Path.of(prefix).toAbsolutePath().getParent();
        if (folder == null) return;
        try {
            Files.createDirectories(folder);
            Files.delete(Files.createTempFile(folder, ".resumo-batch-write-check-", ".tmp"));
        } catch (IOException | UnsupportedOperationException e) {
            String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "a file is in the way"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
            throw new UserError("--output " + prefix + ": cannot write in " + folder + " (" + why + ")");
        }
    }

    private static List<String> localShards(Path prefix) throws IOException {
        Path abs = prefix.toAbsolutePath();
        Path dir = abs.getParent();
        String name = abs.getFileName() == null ? "" : abs.getFileName().toString();
        List<String> found = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) return found;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isRegularFile(f) && isShard(name, f.getFileName().toString())) found.add(f.toString());
            }
        }
        found.sort(null);
        return found;
    }

    private static List<String> remoteShards(BatchOptions o, String prefix) throws IOException {
        FileSystems.setDefaultPipelineOptions(o);
        List<String> found = new ArrayList<>();
        for (String kind : java.util.stream.Stream.concat(KINDS.stream(), java.util.stream.Stream.of(DONE_SUFFIX)).toList()) {
            MatchResult m = FileSystems.match(kind.equals(DONE_SUFFIX) ? prefix + kind : prefix + kind + "*-of-*.jsonl");
            if (m.status() != MatchResult.Status.OK) continue;
            for (MatchResult.Metadata md : m.metadata()) found.add(md.resourceId().toString());
        }
        return found;
    }

    /** NAME-summaries-00000-of-00003.jsonl and the like: what Beam's TextIO writes for the prefix NAME. */
    static boolean isShard(String prefixName, String fileName) {
        if (fileName.equals(prefixName + DONE_SUFFIX)) return true;
        for (String kind : KINDS) {
            String head = prefixName + kind;
            if (fileName.startsWith(head) && fileName.endsWith(".jsonl")
                    && fileName.substring(head.length(), fileName.length() - ".jsonl".length()).matches("\\d+-of-\\d+")) {
                return true;
            }
        }
        return false;
    }
}
