package dev.resumo.tokenizer;

import java.util.Random;

/** Seeded random strings that stress a tokenizer: every script and oddity a news text might carry. */
final class RandomText {
    private static final String[] POOLS = {
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "0123456789.,;:!?-'\"()[]{}$%&*/+=@#",
        "áàâãéêíóôõúüçÁÀÂÃÉÊÍÓÔÕÚÇñ",
        "\u0301\u0300\u0302\u0303\u0327\u0308",          // combining marks
        "中文日本語한국어漢字",                                 // CJK and Hangul
        "ﬁﬂ①②ＡＢｶﾞ…ºª°×—–€™½",                         // NFKC-sensitive
        "\t\n\r\u000b\u000c\u00a0\u2028\u3000\u0085  ",  // whitespace of many kinds
        "\u0000\u0007\u001b\u007f\u200b\u200d\ufeff",   // control and format characters
    };
    private static final String[] EMOJI = {"😀", "👍🏽", "🇧🇷", "👨‍👩‍👧", "❤️", "𝔸"};
    private static final String[] WORDS = {"casa", "presidente", "não", "eleições", "São Paulo", "governo", "ação"};

    private RandomText() {}

    /** A string of up to {@code maxParts} random parts; {@code oddities} allows lone surrogates and special tokens. */
    static String next(Random rng, int maxParts, boolean oddities) {
        StringBuilder b = new StringBuilder();
        int parts = rng.nextInt(maxParts + 1);
        for (int i = 0; i < parts; i++) {
            int kind = rng.nextInt(oddities ? 12 : 10);
            switch (kind) {
                case 8 -> b.append(EMOJI[rng.nextInt(EMOJI.length)]);
                case 9 -> b.append(WORDS[rng.nextInt(WORDS.length)]).append(' ');
                case 10 -> b.append(rng.nextBoolean() ? '\ud800' : '\udc00'); // lone surrogate
                case 11 -> b.append(rng.nextBoolean() ? "<extra_id_" + rng.nextInt(100) + ">" : "</s>");
                default -> {
                    String pool = POOLS[kind];
                    int n = 1 + rng.nextInt(4);
                    for (int k = 0; k < n; k++) b.append(pool.charAt(rng.nextInt(pool.length())));
                }
            }
        }
        return b.toString();
    }
}
