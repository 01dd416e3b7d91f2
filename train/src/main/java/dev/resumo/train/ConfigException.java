package dev.resumo.train;

/** A training setting that is missing, malformed or out of range; the message names the flag. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
