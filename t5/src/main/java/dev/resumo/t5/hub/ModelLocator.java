package dev.resumo.t5.hub;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a {@code --model} argument into a local model folder: an existing folder is used as it
 * is; {@code ORG/NAME} or {@code ORG/NAME@REVISION} is fetched from the hub into the cache on
 * first use and read from the cache afterwards without network.
 */
public final class ModelLocator {
    public static final String DEFAULT_REVISION = "main";

    /** Made at the first hub id: see {@link #fromEnvironment(Map, PrintStream)}. */
    private final Supplier<ModelDownloader> downloaderSource;
    private ModelDownloader downloader;

    public ModelLocator(ModelDownloader downloader) {
        this.downloaderSource = () -> downloader;
    }

    private ModelLocator(Supplier<ModelDownloader> downloaderSource) {
        this.downloaderSource = downloaderSource;
    }

    /** A locator using HF_ENDPOINT/HF_TOKEN from the environment and the default cache. */
    public static ModelLocator fromEnvironment(PrintStream log) {
        return fromEnvironment(System.getenv(), log);
    }

    /**
     * As above, from {@code env}. The hub client (and with it HF_ENDPOINT's and the proxy
     * variables' checks) is made only when a hub id is resolved: a local model folder needs no
     * network, and a stale https_proxy or HF_ENDPOINT left in a shell stopped
     * `summarize --model ./my-model` with an error about a variable it never used.
     */
    static ModelLocator fromEnvironment(Map<String, String> env, PrintStream log) {
        return new ModelLocator(() -> new ModelDownloader(HubClient.fromEnvironment(env, log), ModelDownloader.defaultCacheRoot(), log));
    }

    private ModelDownloader downloader() {
        if (downloader == null) downloader = downloaderSource.get();
        return downloader;
    }

    /**
     * The local folder for {@code modelArg}.
     *
     * @throws IllegalArgumentException if it is neither an existing folder nor ORG/NAME[@REVISION]
     * @throws HubException if fetching fails
     */
    public Path resolve(String modelArg) {
        Path local = localPath(modelArg);
        if (local != null && Files.isDirectory(local)) return local;
        if (local != null && Files.exists(local)) {
            throw new IllegalArgumentException("'" + modelArg + "' is a file; give the folder that holds"
                    + " config.json and the weights");
        }
        int at = modelArg.lastIndexOf('@');
        String repoText = at >= 0 ? modelArg.substring(0, at) : modelArg;
        String revision = at >= 0 ? modelArg.substring(at + 1) : DEFAULT_REVISION;
        if (!RepoId.looksLike(repoText)) {
            throw new IllegalArgumentException("'" + modelArg + "': no such folder, and not a hub id"
                    + " (ORG/NAME or ORG/NAME@REVISION)");
        }
        RepoId repo = RepoId.parse(repoText);
        if (downloader().isComplete(repo, revision)) return downloader().localDir(repo, revision);
        return downloader().fetch(repo, revision);
    }

    private static Path localPath(String arg) {
        try {
            return Path.of(arg);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
