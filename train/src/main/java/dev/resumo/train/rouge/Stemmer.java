package dev.resumo.train.rouge;

/** Maps a lowercase word to its stem. */
@FunctionalInterface
public interface Stemmer {
    String stem(String word);
}
