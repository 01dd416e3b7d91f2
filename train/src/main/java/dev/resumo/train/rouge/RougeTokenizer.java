package dev.resumo.train.rouge;

import java.util.List;

/** Turns a text into the tokens ROUGE compares (lowercased, optionally stemmed). */
@FunctionalInterface
public interface RougeTokenizer {
    List<String> tokenize(String text);
}
