package dev.resumo.t5.hub;

import dev.resumo.t5.T5Checkpoint;
import dev.resumo.engine.io.FileSync;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Fetches the files a T5 model folder needs from the hub into a local cache:
 * {@code <cache>/<org>--<name>/<revision>/}. Files already in the folder are kept (they were
 * verified before they were renamed into place); a marker file records that a fetch finished, so
 * later runs need no network.
 */
public final class ModelDownloader {
    /** Required: the model's configuration. */
    public static final String CONFIG = "config.json";
    /** Weights, in order of preference: the first the repository has is downloaded. */
    public static final List<String> WEIGHTS = List.of(T5Checkpoint.WEIGHTS, T5Checkpoint.TORCH_WEIGHTS);
    /**
     * A sharded checkpoint (large models): the index maps every tensor to one of several
     * safetensors files; fetched, with every shard it names, when no single weights file exists.
     */
    public static final String SHARD_INDEX = T5Checkpoint.SHARD_INDEX;
    /**
     * The same for torch.save shards (pytorch_model-00001-of-00002.bin, ...: big models saved before
     * safetensors was transformers' default); the last resort, as in transformers.
     */
    public static final String TORCH_SHARD_INDEX = T5Checkpoint.TORCH_SHARD_INDEX;
    /** A sharded layout: its index file, and the ending every shard name it lists must have. */
    private record Sharded(String index, String shardSuffix) {}
    /** The sharded layouts, in order of preference. */
    private static final List<Sharded> SHARDED = List.of(new Sharded(SHARD_INDEX, ".safetensors"),
            new Sharded(TORCH_SHARD_INDEX, ".bin"));
    /** Shard names an index may use (before their ending): plain file names in the model folder, never a path. */
    private static final Pattern SHARD_STEM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    /** Fetched when present; a 404 for them is fine. */
    public static final List<String> OPTIONAL = List.of("generation_config.json", "spiece.model", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json");
    /** Written last: its presence means the folder is complete. */
    static final String COMPLETE_MARKER = ".resumo-fetch-complete";

    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");

    private final HubClient client;
    private final Path cacheRoot;
    private final PrintStream log;

    public ModelDownloader(HubClient client, Path cacheRoot, PrintStream log) {
        this.client = client;
        this.cacheRoot = cacheRoot;
        this.log = log;
    }

    /** {@code ~/.cache/resumo/hub}. */
    public static Path defaultCacheRoot() {
        return Path.of(System.getProperty("user.home"), ".cache", "resumo", "hub");
    }

    /** Where {@code repo} at {@code revision} lives in the cache (whether or not it is there yet). */
    public Path localDir(RepoId repo, String revision) {
        checkRevision(revision);
        return cacheRoot.resolve(repo.cacheName()).resolve(revision.replace("/", "--"));
    }

    /** True if a previous fetch of this repository and revision finished. */
    public boolean isComplete(RepoId repo, String revision) {
        return Files.isRegularFile(localDir(repo, revision).resolve(COMPLETE_MARKER));
    }

    /**
     * Downloads what is missing and returns the folder.
     *
     * @throws HubException if a required file cannot be had, or a file fails its checks
     */
    public Path fetch(RepoId repo, String revision) {
        Path dir = localDir(repo, revision);
        // A finished fetch is used as it is (as ModelLocator does): asking again for the optional files
        // it lacks (each a 404 the first time) made `resumo fetch` of a cached model fail offline.
        if (isComplete(repo, revision)) return dir;
        try {
            FileSync.createFolders(dir);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.LOCAL_IO, "cannot create cache folder " + dir + ": " + e.getMessage(), e);
        }
        fetchFile(repo, revision, dir, CONFIG, false);
        if (WEIGHTS.stream().noneMatch(w -> Files.isRegularFile(dir.resolve(w))) || isPartialShardSet(dir)) {
            boolean found = false;
            for (String w : WEIGHTS) {
                if (fetchFile(repo, revision, dir, w, true)) {
                    found = true;
                    break;
                }
            }
            for (int i = 0; i < SHARDED.size() && !found; i++) {
                // An index already here (an interrupted fetch) is used as it is: the shards it names
                // that are here are kept, a .part of one is resumed, the rest fetched.
                String index = SHARDED.get(i).index();
                if (fetchFile(repo, revision, dir, index, true)) {
                    for (String shard : shardFiles(dir.resolve(index))) fetchFile(repo, revision, dir, shard, false);
                    found = true;
                }
            }
            if (!found) {
                throw new HubException(HubException.Kind.NOT_FOUND, repo + " at revision '" + revision
                        + "' has no weights: none of " + WEIGHTS + " nor "
                        + SHARDED.stream().map(Sharded::index).collect(Collectors.joining(" or ")));
            }
        }
        for (String f : OPTIONAL) fetchFile(repo, revision, dir, f, true);
        try {
            Files.writeString(dir.resolve(COMPLETE_MARKER), repo + "@" + revision + "\n");
        } catch (IOException e) {
            throw new HubException(HubException.Kind.LOCAL_IO, "cannot write " + dir.resolve(COMPLETE_MARKER) + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** An index already here whose shards are not all here yet (an interrupted fetch): fetch the rest. */
    private static boolean isPartialShardSet(Path dir) {
        for (Sharded layout : SHARDED) {
            Path index = dir.resolve(layout.index());
            if (Files.isRegularFile(index) && shardFiles(index).stream().anyMatch(f -> !Files.isRegularFile(dir.resolve(f)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The distinct shard files an index names, checked to be plain file names of its kind: .safetensors
     * for {@value #SHARD_INDEX}, .bin for {@value #TORCH_SHARD_INDEX} (a torch index naming a
     * .safetensors file, or the other way round, is a mixed-up repository, refused before fetching).
     */
    static java.util.SortedSet<String> shardFiles(Path index) {
        String suffix = SHARDED.stream().filter(l -> index.getFileName().toString().equals(l.index())).findFirst()
                .orElse(SHARDED.getFirst()).shardSuffix();
        com.fasterxml.jackson.databind.JsonNode map;
        try {
            map = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(index)).path("weight_map");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // One line: Jackson's own message puts the location on a second line.
            throw new HubException(HubException.Kind.NOT_FOUND, index + ": not a valid shard index (line "
                    + e.getLocation().getLineNr() + ": " + dev.resumo.t5.JsonErrors.reason(e) + ")", e);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.LOCAL_IO, index + ": not a readable shard index (" + e.getMessage() + ")", e);
        }
        if (!map.isObject() || map.isEmpty()) {
            throw new HubException(HubException.Kind.NOT_FOUND, index + ": no \"weight_map\" object naming the shards");
        }
        java.util.SortedSet<String> shards = new java.util.TreeSet<>();
        for (var it = map.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw new HubException(HubException.Kind.NOT_FOUND, index + ": weight_map entry \"" + entry.getKey()
                        + "\" is " + entry.getValue() + ", not a shard file name; refusing to fetch it");
            }
            String name = entry.getValue().textValue();
            // The same rule the loader applies (dev.resumo.t5.ShardIndex), plus a stricter pattern: the name
            // becomes a path in the cache folder, so it must never climb out of it or be absolute.
            if (!name.endsWith(suffix) || !SHARD_STEM.matcher(name.substring(0, name.length() - suffix.length())).matches()
                    || name.contains("..")
                    || dev.resumo.t5.ShardIndex.plainFileNameProblem(name) != null
                    || !index.resolveSibling(name).normalize().getParent().equals(index.normalize().getParent())) {
                throw new HubException(HubException.Kind.NOT_FOUND, index + ": shard name '" + name
                        + "' is not a plain " + suffix + " file name; refusing to fetch it");
            }
            shards.add(name);
        }
        return shards;
    }

    private boolean fetchFile(RepoId repo, String revision, Path dir, String file, boolean optional) {
        Path target = dir.resolve(file);
        if (Files.isRegularFile(target)) return true;
        boolean got = client.download(repo, revision, file, target, optional);
        if (!got && log != null) log.println(repo + " has no " + file + " (optional, skipped)");
        return got;
    }

    private static void checkRevision(String revision) {
        if (revision == null || !REVISION.matcher(revision).matches() || revision.contains("..")) {
            throw new IllegalArgumentException("revision '" + revision + "' is not a branch, tag or commit name");
        }
    }
}
