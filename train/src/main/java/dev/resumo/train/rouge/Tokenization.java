package dev.resumo.train.rouge;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How texts become ROUGE tokens and sentences.
 *
 * <ul>
 *   <li>{@code pt} (default): {@link PortugueseTokenizer}, stemmed with {@link PortugueseStemmer};
 *       for ROUGE-Lsum texts are split into sentences with {@link SentenceSplitter} and the
 *       sentences joined with "\n" first, since generated summaries rarely contain newlines.</li>
 *   <li>{@code rouge-score}: {@link ClassicTokenizer}, stemmed with {@link PorterStemmer};
 *       texts are used as given, so ROUGE-Lsum sees only the newlines already in them (exactly
 *       rouge_score's behaviour). Only for comparing with numbers published that way.</li>
 * </ul>
 */
public enum Tokenization {
    PT("pt"),
    ROUGE_SCORE("rouge-score");

    private final String flag;

    Tokenization(String flag) {
        this.flag = flag;
    }

    public String flag() {
        return flag;
    }

    public RougeTokenizer newTokenizer(boolean stem) {
        return switch (this) {
            case PT -> new PortugueseTokenizer(stem ? new PortugueseStemmer() : null);
            case ROUGE_SCORE -> new ClassicTokenizer(stem ? new PorterStemmer() : null);
        };
    }

    /** The text as the scorer should see it: one sentence per line for {@code pt}, untouched otherwise. */
    public String prepare(String text, SentenceSplitter splitter) {
        return this == PT ? String.join("\n", splitter.split(text)) : text;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Tokenization parse(String flag) {
        for (Tokenization t : values()) {
            if (t.flag.equals(flag)) return t;
        }
        throw new IllegalArgumentException("unknown tokenization '" + flag + "'; expected one of "
                + Arrays.stream(values()).map(Tokenization::flag).collect(Collectors.joining(", ")));
    }
}
