package dev.resumo.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The layouts the loader reads; {@link #detect} picks one from the path (no command takes a format flag). */
public enum DatasetFormat {
    JSONL, CSV, TSV, PARQUET, TEMARIO, XLSUM;

    /** Parses a format name (case-insensitive). */
    public static DatasetFormat parse(String s) {
        for (DatasetFormat f : values()) if (f.name().equalsIgnoreCase(s.trim())) return f;
        throw new DatasetException("unknown dataset format '" + s + "' (expected one of jsonl, csv, tsv, parquet, temario, xlsum)");
    }

    /**
     * By the path: a folder with Textos-fonte/ and SumManuais/ is TeMário; a .tar.bz2 archive or a
     * folder of {@code *_train.jsonl}-style files is XL-Sum; otherwise the file extension
     * (.jsonl/.json, .csv, .tsv/.tab, each optionally followed by .gz; .parquet).
     */
    public static DatasetFormat detect(Path p) {
        if (!Files.exists(p)) throw new DatasetException(p + ": no such file or folder");
        if (Files.isDirectory(p)) {
            DatasetFormat folder = folderFormat(p);
            if (folder != null) return folder;
            throw new DatasetException(p + ": a folder that is neither TeMário (Textos-fonte/ + SumManuais/) nor XL-Sum (<language>_train.jsonl ...)");
        }
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        // Parquet compresses its own pages: a .parquet.gz is not something pandas or datasets write, so it is not read either.
        if (n.endsWith(".parquet")) return PARQUET;
        if (n.endsWith(".tar.bz2") || n.endsWith(".tbz2") || n.endsWith(".tar")) return XLSUM;
        // data.jsonl.gz is data.jsonl compressed (DataStreams gunzips it): the extension before .gz tells the format.
        String text = DataStreams.withoutGz(n);
        if (text.endsWith(".jsonl") || text.endsWith(".json") || text.endsWith(".ndjson")) return JSONL;
        if (text.endsWith(".csv")) return CSV;
        if (text.endsWith(".tsv") || text.endsWith(".tab")) return TSV;
        throw new DatasetException(p + ": cannot tell the format from the name; supported: a JSON Lines file (.jsonl, .json, .ndjson), "
                + "a .csv or .tsv/.tab file (each also gzip-compressed, as .jsonl.gz ...), a .parquet file, an XL-Sum archive (.tar.bz2, .tbz2, .tar) or "
                + "folder, or a TeMário folder — rename the file to the extension that matches its content");
    }
    /** TEMARIO or XLSUM for a folder laid out as one of those corpora, else null (a folder of other files). */
    static DatasetFormat folderFormat(Path dir) {
        try {
            if (TemarioReader.looksLikeTemario(dir)) return TEMARIO;
            if (XlsumReader.looksLikeXlsumFolder(dir)) return XLSUM;
            return null;
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
    }
}
