package dev.resumo.train.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Opens a JSON-lines/CSV/TSV file, gunzipping it when its first bytes are gzip's magic number
 * (pandas and Hugging Face {@code datasets} read {@code data.jsonl.gz} as they read {@code data.jsonl};
 * read as text, its compressed bytes were rejected line by line as invalid UTF-8). The magic number,
 * not the name, decides, so a gzip file named {@code .jsonl} reads too.
 */
public final class DataStreams {
    private static final int GZIP_MAGIC_1 = 0x1F, GZIP_MAGIC_2 = 0x8B;

    private DataStreams() {}

    public static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        try {
            in.mark(2);
            int b1 = in.read(), b2 = in.read();
            in.reset();
            return b1 == GZIP_MAGIC_1 && b2 == GZIP_MAGIC_2 ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16)) : in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The name without a trailing ".gz" (any case), so the format is told by the extension before it. */
    static String withoutGz(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }
}
