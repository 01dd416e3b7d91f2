package dev.resumo.train.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * XL-Sum (csebuetnlp): JSON lines {@code {id, url, title, summary, text}} in files
 * {@code <language>_train.jsonl}, {@code _val.jsonl}, {@code _test.jsonl}, either in a folder or
 * inside the published {@code <language>_XLSum_v2.0.tar.bz2}. The split comes from the file name.
 */
final class XlsumReader {
    private static final Pattern SPLIT_FILE = Pattern.compile("(?:.*/)?([^/]+)_(train|val|validation|dev|test)\\.jsonl");

    private XlsumReader() {}

    static boolean isArchive(Path p) {
        String n = p.getFileName().toString().toLowerCase();
        return Files.isRegularFile(p) && (n.endsWith(".tar.bz2") || n.endsWith(".tbz2") || n.endsWith(".tar"));
    }

    static boolean looksLikeXlsumFolder(Path dir) throws IOException {
        return Files.isDirectory(dir) && !splitFiles(dir).isEmpty();
    }

    static void read(Path source, Consumer<SourceRow> rows, Rejections rejections) throws IOException {
        int files = 0;
        if (!isArchive(source)) checkOneLanguage(source, splitFiles(source).stream().map(p -> p.getFileName().toString()).toList());
        if (isArchive(source)) {
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(source));
                 InputStream unzipped = source.getFileName().toString().toLowerCase().endsWith(".tar") ? raw : new BZip2CompressorInputStream(raw, true);
                 TarArchiveInputStream tar = new TarArchiveInputStream(unzipped)) {
                TarArchiveEntry e;
                List<String> seen = new ArrayList<>();
                while ((e = tar.getNextEntry()) != null) {
                    Matcher m = SPLIT_FILE.matcher(e.getName());
                    if (!e.isFile() || !m.matches()) continue;
                    seen.add(e.getName());
                    checkOneLanguage(source, seen);
                    JsonLinesReader.read(tar, source.getFileName() + "!/" + e.getName(), Columns.DEFAULT, m.group(2), rows, rejections);
                    files++;
                }
            } catch (IOException e) {
                throw new DatasetException(source + ": cannot read the XL-Sum archive (" + e.getMessage() + ")", e);
            }
        } else {
            for (Path f : splitFiles(source)) {
                Matcher m = SPLIT_FILE.matcher(f.getFileName().toString());
                if (!m.matches()) continue;
                try (InputStream in = new BufferedInputStream(Files.newInputStream(f))) {
                    JsonLinesReader.read(in, source.getFileName() + "/" + f.getFileName(), Columns.DEFAULT, m.group(2), rows, rejections);
                }
                files++;
            }
        }
        if (files == 0) {
            throw new DatasetException(source + ": no XL-Sum split files (<language>_train.jsonl, _val.jsonl, _test.jsonl) found");
        }
    }

    /**
     * The split files of one source must be one language's: portuguese_train with spanish_val would
     * train on one language and pick the model by another, which no one means to do.
     */
    private static void checkOneLanguage(Path source, List<String> names) {
        String first = null, firstName = null;
        for (String n : names) {
            Matcher m = SPLIT_FILE.matcher(n);
            if (!m.matches()) continue;
            if (first == null) {
                first = m.group(1);
                firstName = n;
            } else if (!first.equals(m.group(1))) {
                throw new DatasetException(source + ": XL-Sum split files of two languages, '" + first + "' (" + firstName + ") and '"
                        + m.group(1) + "' (" + n + "); keep one language's files together");
            }
        }
    }

    private static List<Path> splitFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> SPLIT_FILE.matcher(p.getFileName().toString()).matches()).sorted().forEach(out::add);
        }
        return out;
    }
}
