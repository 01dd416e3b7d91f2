package dev.resumo.train.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A local {@code --dataset}: a file, a TeMário or XL-Sum folder (both detected first, as before), or a
 * folder laid out like a hub dataset, as {@code huggingface-cli download ORG/NAME --repo-type dataset
 * --local-dir DIR} or {@code git clone} leaves it ({@code DIR/data/train-00000-of-00002.parquet},
 * {@code DIR/CONFIG/train-....parquet}, {@code DIR/CONFIG/train/0000.parquet} of refs/convert/parquet,
 * {@code DIR/train.jsonl}, with README.md, .gitattributes and .cache/ beside them). Its files are
 * picked by {@link SplitFiles}, the rule a hub listing is picked by, so DIR loads as ORG/NAME does,
 * and {@code DIR:CONFIG} picks a configuration as {@code ORG/NAME:CONFIG} does. Not the corpora the
 * hub side knows by name (XL-Sum's per-language archives, read through {@link HubDatasets}' templates):
 * a local copy of those is given as the archive or its unpacked folder.
 */
final class LocalDatasetFolder {
    /** Deep enough for every hub layout (CONFIG/SPLIT/0000.parquet is 3); a home folder given by mistake is not walked whole. */
    private static final int MAX_DEPTH = 4;
    private static final Pattern CONFIG = Pattern.compile("[\\w.-]+");

    private LocalDatasetFolder() {}

    /** A local dataset: its file or folder, and the configuration after ':' (null when none). */
    record Spec(Path path, String config) {
        /**
         * {@code spec} as it names something on disk: the path itself when it exists (a file named
         * "a:b" stays one), else DIR:CONFIG when DIR is a folder; null when it names nothing.
         */
        static Spec parse(String spec) {
            Path whole = path(spec);
            if (whole != null && Files.exists(whole)) return new Spec(whole, null);
            int colon = spec.lastIndexOf(':');
            if (colon <= 0 || !CONFIG.matcher(spec.substring(colon + 1)).matches()) return null;
            Path dir = path(spec.substring(0, colon));
            return dir != null && Files.isDirectory(dir) ? new Spec(dir, spec.substring(colon + 1)) : null;
        }

        private static Path path(String s) {
            try {
                return Path.of(s);
            } catch (InvalidPathException e) {
                return null;
            }
        }
    }

    /**
     * The files local {@code spec} reads, none read yet; notes on what was picked (a partial split) go
     * to {@code log} when it is not null. A folder with no data files, or a configuration it lacks, fails here.
     */
    static DatasetFiles resolve(String spec, PrintStream log) {
        Spec local = Spec.parse(spec);
        if (local == null) return DatasetFiles.of(Path.of(spec)); // loading says "no such file or folder", naming it
        Path dir = local.path();
        boolean otherFolder = Files.isDirectory(dir) && DatasetFormat.folderFormat(dir) != null;
        if (local.config() == null && (!Files.isDirectory(dir) || otherFolder)) return DatasetFiles.of(dir);
        if (otherFolder) {
            throw new DatasetException(spec + ": " + dir + " is a TeMário or XL-Sum folder, which has no configurations; give it without :"
                    + local.config());
        }
        List<String> files = list(dir);
        if (SplitFiles.dataFiles(files, null).isEmpty()) {
            throw new DatasetException(dir + ": a folder that is neither TeMário (Textos-fonte/ + SumManuais/), XL-Sum (<language>_train.jsonl ...)"
                    + " nor laid out like a hub dataset (data/train-00000-of-00001.parquet, train.jsonl, CONFIG/train/0000.parquet ...); found "
                    + (files.isEmpty() ? "nothing" : SplitFiles.preview(files)));
        }
        SplitFiles.Selection picked = SplitFiles.select(files, local.config(), "dataset folder " + dir, "the folder");
        if (log != null) picked.notes().forEach(n -> log.println("dataset folder " + dir + ": " + n));
        return DatasetFiles.picked(under(dir, picked.whole()), under(dir, picked.train()), under(dir, picked.validation()),
                under(dir, picked.test()), null);
    }

    /**
     * The folder's files, relative and '/'-separated as a hub listing is, sorted. Hidden folders
     * (.cache, .git, .huggingface) are not entered: huggingface-cli keeps metadata there and a clone
     * its objects, never data. Links are followed (older huggingface-cli linked files into its cache).
     */
    private static List<String> list(Path dir) {
        List<String> files = new ArrayList<>();
        try {
            Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return !d.equals(dir) && d.getFileName().toString().startsWith(".") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) files.add(relative(dir, f));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                    if (e instanceof FileSystemLoopException || f.getFileName().toString().startsWith(".")) return FileVisitResult.CONTINUE;
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list the folder (" + e + ")", e);
        }
        files.sort(null);
        return files;
    }

    private static String relative(Path dir, Path file) {
        StringBuilder b = new StringBuilder();
        for (Path part : dir.relativize(file)) b.append(b.isEmpty() ? "" : "/").append(part);
        return b.toString();
    }

    private static List<Path> under(Path dir, List<String> files) {
        List<Path> out = new ArrayList<>();
        for (String f : files) out.add(dir.resolve(f));
        return out;
    }
}
