package dev.resumo.train.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of a dataset's files hold which split, from their paths relative to its root ('/'-separated).
 * One rule for a hub repository's file list ({@link HubDatasets}) and for a local copy of one
 * ({@link LocalDatasetFolder}), so a folder that huggingface-cli or git left loads as the same
 * dataset its hub id does.
 * <ul>
 *   <li>data files are JSONL/CSV/TSV (also .gz) and Parquet; a path with a part starting with '.'
 *       ({@code .gitattributes}, {@code .cache/}, {@code .git/}) is not data;</li>
 *   <li>with a configuration, only files under a folder (or with a name) starting with it;</li>
 *   <li>one file is the whole dataset; several are split files when their names say train /
 *       validation (valid, val, dev) / test. A split may be in shards as push_to_hub writes them
 *       ({@code data/train-00000-of-00002.parquet}, {@code CONFIG/train-....parquet}) or in the numbered
 *       parts of the hub's Parquet conversion ({@code refs/convert/parquet}: {@code CONFIG/train/0000.parquet},
 *       the split named by the folder; {@code partial-train} when only the split's first rows were
 *       converted). All shards or parts are read, in order; a missing one is an error;</li>
 *   <li>a train split with neither validation nor test is the whole dataset, split by ratio as a
 *       lone file is (read as train only, it left no validation rows and training refused it).</li>
 * </ul>
 */
final class SplitFiles {
    /** Data files, gzip-compressed too (many hub datasets ship train.jsonl.gz; the local reader unpacks them), and Parquet. */
    private static final Pattern TABLE_FILE = Pattern.compile("(?i).*\\.((jsonl|json|ndjson|csv|tsv|tab)(\\.gz)?|parquet)");
    /**
     * JSON files that describe a dataset rather than hold it: the hub's dataset_info(s).json,
     * {@code save_to_disk}'s dataset_dict.json and state.json. Counted as data, they made a lone
     * data.parquet beside them "two files, none named for the train split".
     */
    private static final Pattern METADATA_FILE = Pattern.compile("(?i)(.*/)?(dataset_infos?|dataset_dict|state)\\.json");
    /**
     * A shard's name as {@code datasets} writes it: {@code <stem>-<index>-of-<count>[-<fingerprint>].<ext>}
     * (older versions of push_to_hub added a fingerprint). The shards of one split share stem, count and extension.
     */
    private static final Pattern SHARD = Pattern.compile("(.*)-(\\d{1,9})-of-(\\d{1,9})(?:-[0-9a-fA-F]+)?(\\.[^/.]+(?:\\.gz)?)");
    /** A part of the hub's Parquet conversion, {@code CONFIG/SPLIT/0000.parquet}: the folder names the split. */
    private static final Pattern PART = Pattern.compile("(?:(.*)/)?(\\d{1,9})\\.parquet");
    /** The conversion's folder for a split it converted only the start of (over its size limit). */
    private static final String PARTIAL = "partial-";

    private SplitFiles() {}

    /**
     * Relative paths of the whole dataset (one file, or one set of shards) or of each split, in
     * reading order; unused lists are empty. {@code notes}: one line per split the conversion holds
     * only part of, for the caller's log.
     */
    record Selection(List<String> whole, List<String> train, List<String> validation, List<String> test, List<String> notes) {}

    /** The data files among {@code files}, those of {@code config} only when it is not null. */
    static List<String> dataFiles(List<String> files, String config) {
        List<String> out = new ArrayList<>();
        for (String f : files) {
            if (!TABLE_FILE.matcher(f).matches() || METADATA_FILE.matcher(f).matches() || hidden(f)) continue;
            if (config != null && !inConfig(f, config)) continue;
            out.add(f);
        }
        return out;
    }

    /**
     * Picks the files of each split from {@code all}. {@code subject} starts every error (e.g.
     * "dataset 'org/name'"); {@code source} says whose files they are ("org/name", "the folder").
     */
    static Selection select(List<String> all, String config, String subject, String source) {
        List<String> tables = dataFiles(all, config);
        if (tables.isEmpty()) {
            throw new DatasetException(subject + ": no JSONL/CSV/TSV/Parquet data file" + (config != null ? " for '" + config + "'" : "")
                    + " among the " + all.size() + " files of " + source + ": " + preview(all) + configsFound(dataFiles(all, null), config != null ? 1 : 2));
        }
        if (tables.size() == 1) {
            oneSet(tables, subject); // a lone shard or part of several is refused: the rest are missing
            return whole(tables);
        }
        List<String> train = only(tables, "train", subject);
        List<String> validation = only(tables, "validation|valid|val|dev", subject);
        List<String> test = only(tables, "test", subject);
        if (train.isEmpty()) {
            // One dataset in shards, none named for a split (data/corpus-00000-of-00002.parquet, ...): read whole.
            if (validation.isEmpty() && test.isEmpty() && oneSet(tables, subject)) return whole(sorted(tables));
            throw new DatasetException(subject + ": " + tables.size() + " data files and none is named for the train split"
                    + ambiguityHint(tables) + ": " + preview(tables));
        }
        if (validation.isEmpty() && test.isEmpty()) return whole(train);
        return new Selection(List.of(), train, validation, test, partialNotes(List.of(train, validation, test)));
    }

    private static Selection whole(List<String> files) {
        return new Selection(files, List.of(), List.of(), List.of(), partialNotes(List.of(files)));
    }

    /**
     * The files whose split name ({@link #splitName}) matches {@code words}: none, one, or the complete
     * shards or parts of one split (in index order); two files that are not one set are an error.
     */
    private static List<String> only(List<String> files, String words, String subject) {
        Pattern word = Pattern.compile("(?i)(^|[^a-z])(" + words + ")([^a-z]|$)");
        // A conversion's folder is the split's exact name: "train_unsupervised" is another split, not train.
        Pattern exact = Pattern.compile("(?i)" + words);
        List<String> found = new ArrayList<>();
        for (String f : files) {
            String name = splitName(f);
            if (isPart(f) ? exact.matcher(name).matches() : word.matcher(name).find()) found.add(f);
        }
        // oneSet also refuses a lone train-00000-of-00002 whose sibling is missing from the listing.
        if (!found.isEmpty() && !oneSet(found, subject) && found.size() > 1) {
            throw new DatasetException(subject + ": both " + found.get(0) + " and " + found.get(1) + " look like the same split"
                    + ambiguityHint(files));
        }
        return sorted(found);
    }

    /** The name that tells a file's split: a conversion part's folder (without "partial-"), else the file's own name. */
    private static String splitName(String file) {
        if (isPart(file)) {
            String folder = partFolder(file);
            folder = folder.substring(folder.lastIndexOf('/') + 1);
            return folder.startsWith(PARTIAL) ? folder.substring(PARTIAL.length()) : folder;
        }
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /** A numbered part in a folder ({@code default/train/0000.parquet}); a bare 0000.parquet names no split. */
    private static boolean isPart(String file) {
        Matcher m = PART.matcher(file);
        return m.matches() && m.group(1) != null;
    }

    private static String partFolder(String file) {
        Matcher m = PART.matcher(file);
        return m.matches() && m.group(1) != null ? m.group(1) : "";
    }

    private static boolean oneSet(List<String> files, String subject) {
        return shardsOfOne(files, subject) || partsOfOne(files, subject);
    }

    /**
     * Whether {@code files} are all the shards of one set ({@code train-00000-of-00002.parquet} and
     * {@code train-00001-of-00002.parquet}): same stem, count and extension. Shards of one set with
     * some missing from the listing are an error: reading the rest would train on part of a split.
     */
    private static boolean shardsOfOne(List<String> files, String subject) {
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
            throw new DatasetException(subject + ": " + files.size() + " of the " + count + " shards of " + set
                    + " are listed (" + preview(files) + "); the others are missing, and reading part of a split is not what was asked");
        }
        return true;
    }

    /**
     * Whether {@code files} are all the numbered parts in one folder ({@code default/train/0000.parquet},
     * {@code 0001.parquet}). The conversion writes no count, so a gap (0000 and 0002) is what shows a
     * part missing: an error, as for shards.
     */
    private static boolean partsOfOne(List<String> files, String subject) {
        String folder = null;
        TreeSet<Integer> indices = new TreeSet<>();
        for (String f : files) {
            if (!isPart(f)) return false;
            if (folder != null && !folder.equals(partFolder(f))) return false;
            folder = partFolder(f);
            indices.add(index(f));
        }
        if (indices.first() != 0 || indices.last() != files.size() - 1 || indices.size() != files.size()) {
            int missing = 0;
            while (indices.contains(missing)) missing++;
            throw new DatasetException(subject + ": " + files.size() + " parts of " + folder + "/ are listed (" + preview(files)
                    + ") but " + String.format(Locale.ROOT, "%04d", missing) + ".parquet is missing; reading part of a split is not what was asked");
        }
        return true;
    }

    private static List<String> sorted(List<String> files) {
        List<String> out = new ArrayList<>(files);
        out.sort(Comparator.comparingInt(SplitFiles::index));
        return out;
    }

    /** A shard's or part's index; 0 for another file. */
    private static int index(String file) {
        Matcher shard = SHARD.matcher(file);
        if (shard.matches()) return Integer.parseInt(shard.group(2));
        Matcher part = PART.matcher(file);
        return part.matches() ? Integer.parseInt(part.group(2)) : 0;
    }

    /** One line per "partial-SPLIT" folder read: the split is not all there, and the user should know. */
    private static List<String> partialNotes(List<List<String>> splits) {
        Set<String> notes = new LinkedHashSet<>();
        for (List<String> files : splits) {
            for (String f : files) {
                if (!isPart(f)) continue;
                String folder = partFolder(f);
                String name = folder.substring(folder.lastIndexOf('/') + 1);
                if (name.startsWith(PARTIAL)) {
                    notes.add(folder + "/ is partial: the hub's Parquet conversion holds only the first rows of the "
                            + name.substring(PARTIAL.length()) + " split; it is read as that split");
                }
            }
        }
        return List.copyOf(notes);
    }

    /** Files of several configurations mixed up: which ones there are, so the user can pick with :CONFIG. */
    private static String ambiguityHint(List<String> tables) {
        String configs = configsFound(tables, 2);
        return configs.isEmpty() ? " (add :CONFIG to pick a folder)" : " (" + configs.substring(2) + "; add :CONFIG to pick one)";
    }

    /** "; configs found: en, pt" when the data files lie in at least {@code min} top folders, else "". */
    private static String configsFound(List<String> tables, int min) {
        Set<String> configs = new TreeSet<>();
        for (String f : tables) if (f.contains("/")) configs.add(f.substring(0, f.indexOf('/')));
        return configs.isEmpty() || configs.size() < min ? "" : "; configs found: " + String.join(", ", configs);
    }

    private static boolean hidden(String file) {
        for (String part : file.split("/")) if (part.startsWith(".")) return true;
        return false;
    }

    private static boolean inConfig(String file, String config) {
        for (String part : file.split("/")) {
            if (part.equals(config) || part.startsWith(config + "_") || part.startsWith(config + "-") || part.startsWith(config + ".")) {
                return true;
            }
        }
        return false;
    }

    static String preview(List<String> files) {
        if (files.isEmpty()) return "none";
        return files.size() <= 8 ? String.join(", ", files) : String.join(", ", files.subList(0, 8)) + ", ...";
    }
}
