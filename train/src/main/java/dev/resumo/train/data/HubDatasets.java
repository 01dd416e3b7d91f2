package dev.resumo.train.data;

import dev.resumo.t5.hub.HubClient;
import dev.resumo.t5.hub.HubException;
import dev.resumo.t5.hub.ModelDownloader;
import dev.resumo.t5.hub.RepoId;
import dev.resumo.t5.hub.RepoKind;
import dev.resumo.train.checkpoint.Durable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
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
 *   <li>otherwise the JSONL/CSV/TSV/Parquet files the hub API lists (under a folder or name starting
 *       with CONFIG when one is given): one file is the whole dataset; several are split files when
 *       their names say train / validation (val, dev) / test. A split may be in shards, as
 *       {@code datasets}' {@code push_to_hub} writes it ({@code data/train-00000-of-00002.parquet},
 *       {@code data/train-00001-of-00002.parquet}, or {@code CONFIG/train-0000N-of-0000M.parquet}
 *       per configuration): all of them are read, in order, and a missing one is an error.</li>
 * </ul>
 */
public final class HubDatasets {
    private static final Pattern HUB_ID = Pattern.compile(
            "([A-Za-z0-9][\\w.-]*/[\\w.-]+)(?::([\\w.-]+))?(?:@([A-Za-z0-9][\\w./-]*))?");
    // gz: data.jsonl.gz is a local file (DataStreams reads it); a mistyped one is "no such file", not a hub id to fetch.
    private static final Pattern DATA_FILE = Pattern.compile("(?i).*\\.(jsonl|json|ndjson|csv|tsv|tab|tar|bz2|tbz2|gz|parquet)");
    /** Data files, gzip-compressed too (many hub datasets ship train.jsonl.gz; the local reader unpacks them), and Parquet. */
    private static final Pattern TABLE_FILE = Pattern.compile("(?i).*\\.((jsonl|json|ndjson|csv|tsv|tab)(\\.gz)?|parquet)");
    /**
     * A shard's name as {@code datasets} writes it: {@code <stem>-<index>-of-<count>[-<fingerprint>].<ext>}
     * (older versions of push_to_hub added a fingerprint). The shards of one split share stem, count and extension.
     */
    private static final Pattern SHARD = Pattern.compile("(.*)-(\\d{1,9})-of-(\\d{1,9})(?:-[0-9a-fA-F]+)?(\\.[^/.]+(?:\\.gz)?)");
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
     * ORG/NAME[:CONFIG][@REVISION], names no data file extension, and no such path exists.
     */
    public static boolean isHubId(String spec) {
        return HUB_ID.matcher(spec).matches() && !DATA_FILE.matcher(spec).matches() && !Files.exists(Path.of(spec));
    }

    /**
     * Loads {@code spec}: a local path as {@link DatasetLoader#load}; a hub id fetched first through
     * a client configured from HF_ENDPOINT / HF_TOKEN (read only then), progress lines to {@code log}.
     */
    public static Dataset load(String spec, PrintStream log, DatasetOptions options) {
        if (!isHubId(spec)) return DatasetLoader.load(Path.of(spec), options);
        return fromEnvironment(log).load(spec, options);
    }

    /** Loads {@code spec}: a local path as {@link DatasetLoader#load}, a hub id fetched first. */
    public Dataset load(String spec, DatasetOptions options) {
        if (!isHubId(spec)) return DatasetLoader.load(Path.of(spec), options);
        DataFiles files = download(spec);
        DatasetOptions resolved = withKnownColumns(options, KNOWN.get(files.repo().toString()));
        return !files.whole().isEmpty() ? DatasetLoader.load(files.whole(), resolved)
                : DatasetLoader.loadSplitFiles(files.train(), files.validation(), files.test(), resolved);
    }

    /**
     * Downloads into the cache the files {@link #load} reads for hub id {@code spec}, reading none of
     * them; a local path is left alone. For `resumo train`, which takes over Ctrl-C for its checkpoint
     * once training is set up: fetched before that, an interrupted download ends at once (the .part
     * is kept) instead of running on to the end under a "stopping after the current step".
     */
    public static void download(String spec, PrintStream log) {
        if (isHubId(spec)) fromEnvironment(log).download(spec);
    }

    /**
     * The cached files of a hub dataset: the whole dataset (one file, or the shards of one), or train
     * files and optional validation/test files (one each, or a split's shards); unused lists are empty.
     */
    record DataFiles(RepoId repo, List<Path> whole, List<Path> train, List<Path> validation, List<Path> test) {}

    /** {@link #download(String, PrintStream)} through this instance's client and cache. */
    DataFiles download(String spec) {
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
        try {
            if (known != null && known.fileTemplate() != null) {
                if (config == null) {
                    throw new DatasetException("dataset '" + spec + "' needs a configuration, e.g. " + repo + ":" + known.configExample());
                }
                String file = known.fileTemplate().replace("{config}", config);
                return new DataFiles(repo, List.of(fetch(repo, revision, file)), List.of(), List.of(), List.of());
            }
            return downloadListed(spec, repo, config, revision);
        } catch (HubException e) {
            throw new DatasetException("dataset '" + spec + "': " + e.getMessage(), e);
        }
    }

    private DataFiles downloadListed(String spec, RepoId repo, String config, String revision) {
        List<String> all = fileList(repo, revision);
        List<String> tables = new ArrayList<>();
        for (String f : all) {
            if (!TABLE_FILE.matcher(f).matches() || f.startsWith(".")) continue;
            if (config != null && !inConfig(f, config)) continue;
            tables.add(f);
        }
        if (tables.isEmpty()) {
            throw new DatasetException("dataset '" + spec + "': no JSONL/CSV/TSV/Parquet data file" + (config != null ? " for '" + config + "'" : "")
                    + " among the " + all.size() + " files of " + repo + ": " + preview(all));
        }
        if (tables.size() == 1) {
            shardsOfOne(tables, spec); // a lone shard of several is refused: the rest are missing
            return new DataFiles(repo, fetchAll(repo, revision, tables), List.of(), List.of(), List.of());
        }
        List<String> train = only(tables, "train", spec);
        List<String> validation = only(tables, "validation|valid|val|dev", spec);
        List<String> test = only(tables, "test", spec);
        if (train.isEmpty()) {
            // One dataset in shards, none named for a split (data/corpus-00000-of-00002.parquet, ...): read whole.
            if (validation.isEmpty() && test.isEmpty() && shardsOfOne(tables, spec)) {
                return new DataFiles(repo, fetchAll(repo, revision, tables), List.of(), List.of(), List.of());
            }
            throw new DatasetException("dataset '" + spec + "': " + tables.size() + " data files and none is named for the train split"
                    + " (add :CONFIG to pick a folder): " + preview(tables));
        }
        return new DataFiles(repo, List.of(), fetchAll(repo, revision, train), fetchAll(repo, revision, validation), fetchAll(repo, revision, test));
    }

    /**
     * The files whose name contains a word matching {@code words}: none, one, or the complete shards
     * of one split (sorted by shard index); two files that are not shards of one split are an error.
     */
    private static List<String> only(List<String> files, String words, String spec) {
        Pattern word = Pattern.compile("(?i)(^|[^a-z])(" + words + ")([^a-z]|$)");
        List<String> found = new ArrayList<>();
        for (String f : files) {
            String name = f.substring(f.lastIndexOf('/') + 1);
            if (word.matcher(name).find()) found.add(f);
        }
        // shardsOfOne also refuses a lone train-00000-of-00002 whose sibling is missing from the listing.
        if (!found.isEmpty() && !shardsOfOne(found, spec) && found.size() > 1) {
            throw new DatasetException("dataset '" + spec + "': both " + found.get(0) + " and " + found.get(1) + " look like the same split"
                    + " (add :CONFIG to pick a folder)");
        }
        found.sort(Comparator.comparingInt(HubDatasets::shardIndex));
        return found;
    }

    /**
     * Whether {@code files} are all the shards of one set ({@code train-00000-of-00002.parquet} and
     * {@code train-00001-of-00002.parquet}): same stem, count and extension. Shards of one set with
     * some missing from the listing are an error: reading the rest would train on part of a split.
     */
    private static boolean shardsOfOne(List<String> files, String spec) {
        String key = null;
        int count = -1;
        TreeSet<Integer> indices = new TreeSet<>();
        for (String f : files) {
            Matcher m = SHARD.matcher(f);
            if (!m.matches()) return false;
            String k = m.group(1) + "|" + m.group(3) + "|" + m.group(4).toLowerCase(Locale.ROOT);
            if (key != null && !key.equals(k)) return false;
            key = k;
            count = Integer.parseInt(m.group(3));
            indices.add(Integer.parseInt(m.group(2)));
        }
        // Distinct indices, as many as the count says, from 0 to count - 1: every shard once.
        if (indices.size() != files.size() || count != files.size() || indices.first() != 0 || indices.last() != count - 1) {
            Matcher first = SHARD.matcher(files.get(0));
            String set = first.matches() ? first.group(1) + "-*-of-" + first.group(3) + first.group(4) : files.get(0);
            throw new DatasetException("dataset '" + spec + "': " + files.size() + " of the " + count + " shards of " + set
                    + " are listed (" + preview(files) + "); the others are missing, and reading part of a split is not what was asked");
        }
        return true;
    }

    private static int shardIndex(String file) {
        Matcher m = SHARD.matcher(file);
        return m.matches() ? Integer.parseInt(m.group(2)) : 0;
    }

    private static boolean inConfig(String file, String config) {
        for (String part : file.split("/")) {
            if (part.equals(config) || part.startsWith(config + "_") || part.startsWith(config + "-") || part.startsWith(config + ".")) {
                return true;
            }
        }
        return false;
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
            Files.createDirectories(stored.getParent());
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
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new DatasetException("cannot create cache folder " + target.getParent() + ": " + e.getMessage(), e);
        }
        client.download(RepoKind.DATASET, repo, revision, file, target, false);
        return target;
    }

    private static DatasetOptions withKnownColumns(DatasetOptions options, Known known) {
        if (known == null || known.textColumn() == null || !options.columns().equals(Columns.DEFAULT)) return options;
        return options.withColumns(Columns.DEFAULT.withText(known.textColumn()).withSummary(known.summaryColumn()));
    }

    private static String preview(List<String> files) {
        return files.size() <= 8 ? String.join(", ", files) : String.join(", ", files.subList(0, 8)) + ", ...";
    }
}
