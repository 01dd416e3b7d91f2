package dev.resumo.tokenizer;

/**
 * A tokenizer file that cannot be used (missing, truncated, foreign format, unsupported model) or a
 * request the tokenizer cannot serve (an id outside the vocabulary). The message is one line and
 * names the file or value at fault, so that command-line tools can print it as it is.
 */
public final class TokenizerException extends RuntimeException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
