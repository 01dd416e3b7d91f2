package dev.resumo.train.data;

/** A dataset that cannot be used as asked: a user input problem, with a message naming the input. */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) { super(message); }

    public DatasetException(String message, Throwable cause) { super(message, cause); }
}
