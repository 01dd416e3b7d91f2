package dev.resumo.train.batch;

import java.util.ArrayList;
import java.util.List;

/** Turns (text, summary) pairs into token ids: prefix, encode with </s>, truncate keeping </s> last. */
public final class Tokenization {
    /** Encodes a text and appends </s> (T5Tokenizer.encode(text, true)). */
    @FunctionalInterface
    public interface Encoder {
        int[] encodeWithEos(String text);
    }

    /** A text/summary pair before tokenization. */
    public record TextPair(String id, String text, String summary) {}

    public static final int EOS_ID = 1;

    private Tokenization() {}

    public static List<TokenizedExample> tokenize(List<TextPair> pairs, Encoder encoder, String prefix,
                                                  int maxSourceLength, int maxTargetLength) {
        List<TokenizedExample> out = new ArrayList<>(pairs.size());
        for (TextPair p : pairs) {
            out.add(new TokenizedExample(p.id(),
                    truncate(encoder.encodeWithEos(prefix + p.text()), maxSourceLength),
                    truncate(encoder.encodeWithEos(p.summary()), maxTargetLength)));
        }
        return out;
    }

    /** The first max ids, with the last replaced by </s> when the sequence was cut (as HF's truncation does). */
    public static int[] truncate(int[] ids, int max) {
        if (ids.length <= max) return ids;
        int[] cut = java.util.Arrays.copyOf(ids, max);
        cut[max - 1] = EOS_ID;
        return cut;
    }
}
