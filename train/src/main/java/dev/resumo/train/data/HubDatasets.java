package dev.resumo.train.data;

import dev.resumo.t5.hub.HubClient;
import dev.resumo.t5.hub.HubException;
import dev.resumo.t5.hub.ModelDownloader;
import dev.resumo.t5.hub.RepoId;
import dev.resumo.t5.hub.RepoKind;
import dev.resumo.train.checkpoint.Durable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.engine.io.FileSync;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --dataset} as a local path or a Hugging Face Hub dataset id
 * ({@code ORG/NAME[:CONFIG][@REVISION]}, e.g. {@code csebuetnlp/xlsum:portuguese},
 * {@code VictorNGomes/CorpusTeMario}), fetched like models: {@code HF_ENDPOINT}, {@code HF_TOKEN},
 * resumable verified downloads into {@code <cache>/datasets/ORG--NAME/REVISION/}, reused offline.
 *
 * <p>Which files make up a hub dataset:
 * <ul>
 *   <li>{@link #KNOWN} datasets first: {@code csebuetnlp/xlsum:<language>} is the archive
 *       {@code data/<language>_XLSum_v2.0.tar.bz2} (what the dataset's own loading script reads);
 *       {@code VictorNGomes/CorpusTeMario} keeps its text in {@code texto} and summary in
 *       {@code sumario} (used when --text-column/--summary-column are left at their defaults).</li>
 *   <li>otherwise the JSONL/CSV/TSV/Parquet files the hub API lists, picked by {@link SplitFiles}
 *       (the rule a local copy of a hub dataset is read by too): one file is the whole dataset;
 *       several are split files named for train / validation / test, a split possibly in
 *       push_to_hub's shards ({@code data/train-00000-of-00002.parquet}, {@code CONFIG/train-....parquet})
 *       or in the numbered parts of the hub's Parquet conversion, revision {@code refs/convert/parquet}
 *       ({@code CONFIG/train/0000.parquet}); :CONFIG picks a configuration's folder.</li>
 * </ul>
 */
public final class HubDatasets {
    private static final Pattern HUB_ID = Pattern.compile(
            "([A-Za-z0-9][\\w.-]*/[\\w.-]+)(?::([\\w.-]+))?(?:@([A-Za-z0-9][\\w./-]*))?");
    // gz: data.jsonl.gz is a local file (DataStreams reads it); a mistyped one is "no such file", not a hub id to fetch.
    private static final Pattern DATA_FILE = Pattern.compile("(?i).*\\.(jsonl|json|ndjson|csv|tsv|tab|tar|bz2|tbz2|gz|parquet)");
    private static final String DEFAULT_REVISION = "main";
    /** The hub's file list of a dataset revision, kept in its cache folder (hidden: not a data file). */
    static final String FILE_LIST = ".resumo-file-list.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Resumo knows about a hub dataset beyond its file list. */
    record Known(String fileTemplate, String configExample, String textColumn, String summaryColumn) {}

    /** The datasets with a fixed layout; {@code {config}} in a template is the part after ':'. */
    static final Map<String, Known> KNOWN = Map.of(
            "csebuetnlp/xlsum", new Known("data/{config}_XLSum_v2.0.tar.bz2", "portuguese", null, null),
            "VictorNGomes/CorpusTeMario", new Known(null, null, "texto", "sumario"));

    private final HubClient client;
    private final Path cacheRoot;
    private final PrintStream log;

    public HubDatasets(HubClient client, Path cacheRoot, PrintStream log) {
        this.client = client;
        this.cacheRoot = cacheRoot;
        this.log = log;
    }

    /** HF_ENDPOINT / HF_TOKEN from the environment, the models' cache root ({@code ~/.cache/resumo/hub}). */
    public static HubDatasets fromEnvironment(PrintStream log) {
        try {
            return new HubDatasets(HubClient.fromEnvironment(System.getenv(), log), ModelDownloader.defaultCacheRoot(), log);
        } catch (IllegalArgumentException e) {
            throw new DatasetException(e.getMessage(), e);
        }
    }

    /**
     * Whether {@code spec} is a hub id rather than a local path: it looks like
     * ORG/NAME[:CONFIG][@REVISION], names no data file extension, and names nothing on disk (no such
     * path, nor a folder ORG/NAME given as ORG/NAME:CONFIG: the local copy wins, as ORG/NAME's does).
     */
    public static boolean isHubId(String spec) {
        return HUB_ID.matcher(spec).matches() && !DATA_FILE.matcher(spec).matches() && localPath(spec) == null;
    }

    /**
     * The file or folder on disk that {@code spec} reads ({@code DIR} of {@code DIR:CONFIG}), or null
     * when it names none (a hub id, a missing file): what the commands check exists and keep runs out of.
     */
    public static Path localPath(String spec) {
        LocalDatasetFolder.Spec local = LocalDatasetFolder.Spec.parse(spec);
        return local == null ? null : local.path();
    }

    /**
     * Loads {@code spec}: a local path as {@link LocalDatasetFolder#resolve} picks it (a file, a TeMário
     * or XL-Sum folder, or a folder laid out like a hub dataset, DIR[:CONFIG]); a hub id fetched first
     * through a client configured from HF_ENDPOINT / HF_TOKEN (read only then), progress lines to {@code log}.
     */
    public static Dataset load(String spec, PrintStream log, DatasetOptions options) {
        return resolve(spec, log).load(options);
    }

    /** Loads {@code spec}: a local path as {@link LocalDatasetFolder#resolve} picks it, a hub id fetched first. */
    public Dataset load(String spec, DatasetOptions options) {
        return resolve(spec).load(options);
    }

    /**
     * The files {@code spec} reads, reading none of them: a hub dataset fetched into the cache, a local
     * folder's files picked (a DIR:CONFIG that names no configuration fails here). For `resumo train`,
     * which resolves before it loads the model and before it takes over Ctrl-C for its checkpoint: an
     * interrupted download ends at once (the .part is kept) instead of running on to the end under a
     * "stopping after the current step". Progress and notes go to {@code log}.
     */
    public static DatasetFiles resolve(String spec, PrintStream log) {
        if (!isHubId(spec)) return LocalDatasetFolder.resolve(spec, log);
        return fromEnvironment(log).resolve(spec);
    }

    /** {@link #resolve(String, PrintStream)} through this instance's client, cache and log. */
    public DatasetFiles resolve(String spec) {
        if (!isHubId(spec)) return LocalDatasetFolder.resolve(spec, log);
        return download(spec);
    }

    /**
     * Fetches into the cache the files {@link #resolve} picks for hub id {@code spec}: the whole
     * dataset (one file, or the shards of one), or train files and optional validation/test files
     * (one each, or a split's shards), with the columns a {@link #KNOWN} dataset keeps its text in.
     */
    private DatasetFiles download(String spec) {
        Matcher m = HUB_ID.matcher(spec);
        if (!m.matches()) throw new IllegalStateException(spec);
        RepoId repo;
        try {
            repo = RepoId.parse(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new DatasetException("dataset " + e.getMessage(), e);
        }
        String config = m.group(2);
        String revision = m.group(3) != null ? m.group(3) : DEFAULT_REVISION;
        if (revision.contains("..")) throw new DatasetException("dataset '" + spec + "': revision '" + revision + "' is not valid");
        Known known = KNOWN.get(repo.toString());
        Columns columns = known == null || known.textColumn() == null ? null
                : Columns.DEFAULT.withText(known.textColumn()).withSummary(known.summaryColumn());
        try {
            if (known != null && known.fileTemplate() != null) {
                if (config == null) {
                    throw new DatasetException("dataset '" + spec + "' needs a configuration, e.g. " + repo + ":" + known.configExample());
                }
                String file = known.fileTemplate().replace("{config}", config);
                return DatasetFiles.picked(List.of(fetch(repo, revision, file)), List.of(), List.of(), List.of(), columns);
            }
            return downloadListed(spec, repo, config, revision, columns);
        } catch (HubException e) {
            throw new DatasetException("dataset '" + spec + "': " + e.getMessage(), e);
        }
    }

    /** The files {@link SplitFiles} picks from the hub's listing, fetched; its notes go to the log. */
    private DatasetFiles downloadListed(String spec, RepoId repo, String config, String revision, Columns columns) {
        List<String> all = fileList(repo, revision);
        SplitFiles.Selection picked = SplitFiles.select(all, config, "dataset '" + spec + "'", repo.toString());
        if (log != null) picked.notes().forEach(n -> log.println("dataset " + repo + ": " + n));
        return DatasetFiles.picked(fetchAll(repo, revision, picked.whole()), fetchAll(repo, revision, picked.train()),
                fetchAll(repo, revision, picked.validation()), fetchAll(repo, revision, picked.test()), columns);
    }

    /**
     * The repository's files: the list an earlier run stored in the cache, else the hub API's, stored.
     * Without the stored list a dataset fetched whole still needed the network on every run (the
     * API call came before the cached files were looked at), though the cache is read offline for
     * models and for xlsum. Like a model folder, a revision's files are taken as fetched once.
     */
    private List<String> fileList(RepoId repo, String revision) {
        Path stored = datasetDir(repo, revision).resolve(FILE_LIST);
        if (Files.isRegularFile(stored)) {
            try {
                JsonNode names = JSON.readTree(stored.toFile());
                if (names != null && names.isArray()) {
                    List<String> files = new ArrayList<>();
                    names.forEach(n -> files.add(n.asText()));
                    if (log != null) log.println("dataset " + repo + ": using the file list cached in " + stored);
                    return files;
                }
            } catch (IOException e) {
                // unreadable (cut short by a crash mid-write on an old file system): ask the hub again
            }
        }
        List<String> files = client.listFiles(RepoKind.DATASET, repo, revision);
        try {
            FileSync.createFolders(stored.getParent());
            Durable.writeAtomically(stored, JSON.writeValueAsString(files));
        } catch (IOException e) {
            throw new DatasetException("cannot write " + stored + " (" + e.getMessage() + "); check that the cache folder is writable", e);
        }
        return files;
    }

    private Path datasetDir(RepoId repo, String revision) {
        return cacheRoot.resolve("datasets").resolve(repo.cacheName()).resolve(revision.replace("/", "--"));
    }

    private List<Path> fetchAll(RepoId repo, String revision, List<String> files) {
        List<Path> out = new ArrayList<>();
        for (String f : files) out.add(fetch(repo, revision, f));
        return out;
    }

    private Path fetch(RepoId repo, String revision, String file) {
        if (file.contains("..") || file.startsWith("/")) throw new DatasetException(repo + ": refusing file path '" + file + "'");
        Path target = datasetDir(repo, revision).resolve(file);
        if (Files.isRegularFile(target)) {
            if (log != null) log.println("dataset " + repo + "/" + file + ": using the cached copy " + target);
            return target;
        }
        try {
            FileSync.createFolders(target.getParent());
        } catch (IOException e) {
            throw new DatasetException("cannot create cache folder " + target.getParent() + ": " + e.getMessage(), e);
        }
        client.download(RepoKind.DATASET, repo, revision, file, target, false);
        return target;
    }
}
