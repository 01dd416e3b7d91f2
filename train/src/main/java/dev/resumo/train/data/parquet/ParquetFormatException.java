package dev.resumo.train.data.parquet;

/**
 * Something inside a Parquet file that is corrupt or that Resumo does not read, said without the
 * file's name: the decoders below {@link ParquetFile} know bytes, not files. {@link ParquetFile}
 * catches it and throws a {@code DatasetException} naming the file and, where there is one, the
 * column and row group.
 */
final class ParquetFormatException extends RuntimeException {
    ParquetFormatException(String message) {
        super(message);
    }

    ParquetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
