package dev.resumo.train.data;

/** A data file that cannot be used as given; the message names the file and, where known, the line. */
public final class DataFileException extends RuntimeException {
    public DataFileException(String message) {
        super(message);
    }
}
