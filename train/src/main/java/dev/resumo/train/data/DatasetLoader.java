package dev.resumo.train.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Loads a summarization dataset and validates it without losing anything silently:
 * <ol>
 *   <li>read the source (JSON lines, CSV, TSV, Parquet, TeMário folder, XL-Sum folder or archive),
 *       rejecting rows with bad encoding, bad syntax or missing columns;</li>
 *   <li>reject rows whose text or summary is empty or whitespace only;</li>
 *   <li>assign splits: from the split labels (split column, XL-Sum file names, separate files), or,
 *       when no row has one, by the seeded {@link SplitPlan}; unknown labels are rejected;</li>
 *   <li>drop duplicates by {@link TextFingerprint normalized text}: within a split the first copy
 *       is kept ({@code duplicate}); across splits the copy in the later split (test over validation
 *       over train) is kept and the others are rejected as {@code leaked}.</li>
 * </ol>
 * Every rejection is counted per reason in the {@link DatasetReport} and, given a run folder,
 * written to {@code rejected.jsonl} ({@code file, line, reason, id, detail}). In strict mode any
 * rejection is a {@link DatasetException} (after rejected.jsonl is written).
 */
public final class DatasetLoader {
    public static final String REJECTED_FILE = "rejected.jsonl";

    private DatasetLoader() {}

    /** One source holding all splits (or none: then the ratio split applies). */
    public static Dataset load(Path source, DatasetOptions options) {
        DatasetFormat format = options.format() != null ? options.format() : DatasetFormat.detect(source);
        Rejections rejections = new Rejections();
        List<SourceRow> rows = new ArrayList<>();
        read(source, source.getFileName().toString(), format, null, options.columns(), rows, rejections);
        return validate(source.toString(), rows, rejections, options);
    }

    /**
     * JSON lines from a stream (e.g. a classpath resource such as the demo corpus); {@code name}
     * stands for the file in reports.
     */
    public static Dataset loadJsonLines(InputStream in, String name, DatasetOptions options) {
        Rejections rejections = new Rejections();
        List<SourceRow> rows = new ArrayList<>();
        try {
            JsonLinesReader.read(in, name, options.columns(), null, rows::add, rejections);
        } catch (IOException e) {
            throw new DatasetException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
        return validate(name, rows, rejections, options);
    }

    /**
     * Several files that together hold one dataset (a hub dataset's shards without split names:
     * {@code data-00000-of-00002.parquet}, ...), read in order as one source.
     */
    public static Dataset load(List<Path> sources, DatasetOptions options) {
        if (sources.isEmpty()) throw new DatasetException("dataset: no files to load");
        if (sources.size() == 1) return load(sources.get(0), options);
        Rejections rejections = new Rejections();
        List<SourceRow> rows = new ArrayList<>();
        Path root = commonFolder(sources);
        for (Path f : sources) read(f, nameUnder(root, f), tableFormat(f, options, "part of a dataset"), null, options.columns(), rows, rejections);
        return validate(root.toString(), rows, rejections, options);
    }

    /**
     * What {@link SplitFiles} picked, on disk: the whole dataset (one file or its shards, split by
     * ratio) when {@code whole} is not empty, else the files of each split.
     */
    static Dataset loadWholeOrSplits(List<Path> whole, List<Path> train, List<Path> validation, List<Path> test, DatasetOptions options) {
        return !whole.isEmpty() ? load(whole, options) : loadSplitFiles(train, validation, test, options);
    }

    /** Separate files per split (JSON lines, CSV, TSV or Parquet); validation and test may be null. */
    public static Dataset loadSplitFiles(Path train, Path validation, Path test, DatasetOptions options) {
        if (train == null) throw new DatasetException("dataset: a train file is required");
        return loadSplitFiles(List.of(train), validation == null ? List.of() : List.of(validation), test == null ? List.of() : List.of(test), options);
    }

    /**
     * Each split in one or more files, read in order: a hub dataset's shards ({@code train-00000-of-00002.parquet},
     * {@code train-00001-of-00002.parquet}) are one split's rows. Validation and test may be empty.
     */
    public static Dataset loadSplitFiles(List<Path> train, List<Path> validation, List<Path> test, DatasetOptions options) {
        if (train.isEmpty()) throw new DatasetException("dataset: a train file is required");
        Rejections rejections = new Rejections();
        List<SourceRow> rows = new ArrayList<>();
        List<List<Path>> files = List.of(train, validation, test);
        List<Path> all = new ArrayList<>();
        files.forEach(all::addAll);
        Path root = all.size() == 1 ? null : commonFolder(all);
        for (Split s : Split.values()) {
            for (Path f : files.get(s.ordinal())) {
                read(f, nameUnder(root, f), tableFormat(f, options, "a " + s.label() + " file"), s.label(), options.columns(), rows, rejections);
            }
        }
        return validate(root == null ? train.get(0).toString() : root.toString(), rows, rejections, options);
    }

    /**
     * The folder holding all of {@code files}. Rows are named after their file relative to it
     * (ids, rejected.jsonl, duplicate reports), because the hub's Parquet conversion names every
     * split's first part 0000.parquet: by file name alone a train row and a test row read the same.
     */
    private static Path commonFolder(List<Path> files) {
        Path root = files.get(0).toAbsolutePath().normalize().getParent();
        for (Path f : files) {
            Path p = f.toAbsolutePath().normalize();
            while (root != null && !p.startsWith(root)) root = root.getParent();
        }
        return root == null ? files.get(0).toAbsolutePath().getRoot() : root;
    }

    /** A file's name relative to {@code root} ('/'-separated), or its bare file name without a root. */
    private static String nameUnder(Path root, Path f) {
        if (root == null) return f.getFileName().toString();
        return root.relativize(f.toAbsolutePath().normalize()).toString().replace(java.io.File.separatorChar, '/');
    }

    /** The format of one file among several: a table format (TeMário and XL-Sum hold whole corpora). */
    private static DatasetFormat tableFormat(Path f, DatasetOptions options, String role) {
        DatasetFormat format = options.format() != null ? options.format() : DatasetFormat.detect(f);
        if (format == DatasetFormat.TEMARIO || format == DatasetFormat.XLSUM) {
            throw new DatasetException(f + ": " + format.name().toLowerCase() + " holds whole corpora; give it as the single dataset source, not as " + role);
        }
        return format;
    }

    private static void read(Path source, String name, DatasetFormat format, String fixedSplit, Columns columns,
                             List<SourceRow> rows, Rejections rejections) {
        if (!Files.exists(source)) throw new DatasetException(source + ": no such file or folder");
        try {
            switch (format) {
                case TEMARIO -> TemarioReader.read(source, rows::add, rejections);
                case XLSUM -> XlsumReader.read(source, rows::add, rejections);
                case PARQUET -> ParquetRows.read(source, name, columns, fixedSplit, rows::add, rejections);
                case JSONL, CSV, TSV -> {
                    try (InputStream in = DataStreams.open(source)) {
                        if (format == DatasetFormat.JSONL) JsonLinesReader.read(in, name, columns, fixedSplit, rows::add, rejections);
                        else CsvReader.read(in, name, format == DatasetFormat.CSV ? ',' : '\t', columns, fixedSplit, rows::add, rejections);
                    }
                }
            }
        } catch (IOException e) {
            throw new DatasetException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (rows.isEmpty() && rejections.count(RejectReason.MISSING_COLUMN) > 0
                && rejections.count(RejectReason.MISSING_COLUMN) == rejections.list().size()) {
            throw new DatasetException(source + ": no row has the columns '" + columns.text() + "' and '" + columns.summary()
                    + "' (choose them with --text-column / --summary-column); first: " + rejections.list().get(0).describe());
        }
    }

    private static Dataset validate(String sourceName, List<SourceRow> rows, Rejections rejections, DatasetOptions options) {
        List<SourceRow> nonEmpty = new ArrayList<>();
        for (SourceRow r : rows) {
            if (r.text().isBlank()) rejections.add(r.file(), r.line(), RejectReason.EMPTY_TEXT, r.id(), "");
            else if (r.summary().isBlank()) rejections.add(r.file(), r.line(), RejectReason.EMPTY_SUMMARY, r.id(), "");
            else nonEmpty.add(r);
        }
        boolean labelled = nonEmpty.stream().anyMatch(r -> r.splitLabel() != null);
        Map<Split, List<SourceRow>> bySplit = new EnumMap<>(Split.class);
        for (Split s : Split.values()) bySplit.put(s, new ArrayList<>());
        if (labelled) {
            for (SourceRow r : nonEmpty) {
                Split s = Split.parse(r.splitLabel());
                if (s == null) {
                    rejections.add(r.file(), r.line(), RejectReason.UNKNOWN_SPLIT, r.id(),
                            r.splitLabel() == null ? "no split value" : "split '" + r.splitLabel() + "'");
                } else {
                    bySplit.get(s).add(r);
                }
            }
            dropDuplicates(bySplit, rejections);
        } else {
            bySplit.get(Split.TRAIN).addAll(nonEmpty);
            dropDuplicates(bySplit, rejections);
            ratioSplit(bySplit, options.ratio());
        }

        Map<Split, Integer> kept = new EnumMap<>(Split.class);
        Map<Split, List<Example>> examples = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            List<Example> ex = new ArrayList<>();
            for (SourceRow r : bySplit.get(s)) ex.add(new Example(r.id(), r.text(), r.summary()));
            examples.put(s, ex);
            kept.put(s, ex.size());
        }
        List<Rejection> rejected = new ArrayList<>(rejections.list());
        rejected.sort(Comparator.comparing(Rejection::file).thenComparingLong(Rejection::line));
        DatasetReport report = new DatasetReport(kept, rejections.counts(), rejected);
        if (options.runDir() != null) writeRejected(options.runDir(), rejected);
        if (options.strict() && !rejected.isEmpty()) {
            throw new DatasetException(sourceName + ": strict mode: " + report.summary() + "; first: " + rejected.get(0).describe()
                    + (options.runDir() != null ? " (all in " + options.runDir().resolve(REJECTED_FILE) + ")" : ""));
        }
        if (kept.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            // The first rejected row with its reason: "1 malformed" alone left the user to find which and why.
            throw new DatasetException(sourceName + ": no usable rows (" + report.summary() + ")"
                    + (rejected.isEmpty() ? "" : "; first: " + rejected.get(0).describe()));
        }
        return new Dataset(examples.get(Split.TRAIN), examples.get(Split.VALIDATION), examples.get(Split.TEST), report);
    }

    /** Test first, then validation, then train: the first copy of a text wins. */
    private static void dropDuplicates(Map<Split, List<SourceRow>> bySplit, Rejections rejections) {
        Map<TextFingerprint, SourceRow> firstSeen = new HashMap<>();
        Map<SourceRow, Split> splitOf = new HashMap<>();
        for (Split s : new Split[] {Split.TEST, Split.VALIDATION, Split.TRAIN}) {
            List<SourceRow> keep = new ArrayList<>();
            for (SourceRow r : bySplit.get(s)) {
                SourceRow first = firstSeen.putIfAbsent(TextFingerprint.of(r.text()), r);
                if (first == null) {
                    keep.add(r);
                    splitOf.put(r, s);
                } else if (splitOf.get(first) == s) {
                    rejections.add(r.file(), r.line(), RejectReason.DUPLICATE, r.id(), "same text as " + first.file() + ":" + first.line());
                } else {
                    rejections.add(r.file(), r.line(), RejectReason.LEAKED, r.id(),
                            "same text as " + splitOf.get(first).label() + " row " + first.file() + ":" + first.line());
                }
            }
            bySplit.put(s, keep);
        }
    }

    /** Moves seeded-random rows from train to test and validation; every split keeps source order. */
    private static void ratioSplit(Map<Split, List<SourceRow>> bySplit, SplitPlan plan) {
        List<SourceRow> all = bySplit.get(Split.TRAIN);
        int n = all.size();
        int nTest = (int) Math.round(n * plan.testFraction()), nVal = (int) Math.round(n * plan.validationFraction());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        Collections.shuffle(order, new Random(plan.seed()));
        Split[] assigned = new Split[n];
        for (int k = 0; k < n; k++) assigned[order.get(k)] = k < nTest ? Split.TEST : k < nTest + nVal ? Split.VALIDATION : Split.TRAIN;
        Map<Split, List<SourceRow>> out = new EnumMap<>(Split.class);
        for (Split s : Split.values()) out.put(s, new ArrayList<>());
        for (int i = 0; i < n; i++) out.get(assigned[i]).add(all.get(i));
        bySplit.putAll(out);
    }

    private static void writeRejected(Path runDir, List<Rejection> rejected) {
        ObjectMapper json = new ObjectMapper();
        try {
            Files.createDirectories(runDir);
            try (BufferedWriter w = Files.newBufferedWriter(runDir.resolve(REJECTED_FILE), StandardCharsets.UTF_8)) {
                for (Rejection r : rejected) {
                    ObjectNode o = json.createObjectNode();
                    o.put("file", r.file());
                    o.put("line", r.line());
                    o.put("reason", r.reason().label());
                    if (r.id() != null) o.put("id", r.id());
                    o.put("detail", r.detail() == null ? "" : r.detail());
                    w.write(json.writeValueAsString(o));
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new DatasetException(runDir.resolve(REJECTED_FILE) + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
