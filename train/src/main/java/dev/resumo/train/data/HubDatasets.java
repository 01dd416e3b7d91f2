package dev.resumo.train.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Hugging Face Hub dataset ids ({@code csebuetnlp/xlsum:portuguese}, {@code VictorNGomes/CorpusTeMario}).
 *
 * <p>TODO(hub): resolve an id to a local file through the hub downloader on branch {@code formats}
 * ({@code dev.resumo.t5.hub}) once it is merged — do not write a second downloader here. Expected
 * mapping: {@code csebuetnlp/xlsum:<language>} → the {@code <language>_XLSum_v2.0.tar.bz2} archive
 * (read by {@link DatasetFormat#XLSUM}); {@code VictorNGomes/CorpusTeMario} → its files, read as
 * JSON lines / CSV with the columns the dataset card names.
 */
public final class HubDatasets {
    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][\\w.-]*/[\\w.-]+(:[\\w.-]+)?");

    private HubDatasets() {}

    private static final Pattern DATA_FILE = Pattern.compile("(?i).*\\.(jsonl|json|ndjson|csv|tsv|tab|tar|bz2|tbz2)");

    /**
     * Whether {@code spec} is a hub id rather than a local path: it looks like owner/name[:config],
     * names no data file extension, and no such path exists.
     */
    public static boolean isHubId(String spec) {
        return HUB_ID.matcher(spec).matches() && !DATA_FILE.matcher(spec).matches() && !Files.exists(Path.of(spec));
    }

    /** The local path for a dataset argument: itself when it is a path; hub ids are not wired yet. */
    public static Path resolve(String spec) {
        if (!isHubId(spec)) return Path.of(spec);
        throw new DatasetException("dataset '" + spec + "': downloading Hub datasets is not available yet; download the files "
                + "(e.g. portuguese_XLSum_v2.0.tar.bz2 for csebuetnlp/xlsum:portuguese) and pass the local path");
    }
}
