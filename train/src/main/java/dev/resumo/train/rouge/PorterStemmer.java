package dev.resumo.train.rouge;

import java.util.Map;

/**
 * The Porter stemmer exactly as rouge_score uses it: {@code nltk.stem.porter.PorterStemmer()},
 * whose default mode is NLTK_EXTENSIONS (not ORIGINAL_ALGORITHM): a small pool of irregular
 * forms, words of 1-2 letters left alone, and NLTK's departures from the 1980 paper in steps
 * 1a, 1b, 1c, 2 and the cvc test. Input is a lowercase ASCII word.
 */
public final class PorterStemmer implements Stemmer {
    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("sky", "sky"), Map.entry("skies", "sky"),
            Map.entry("dying", "die"), Map.entry("lying", "lie"), Map.entry("tying", "tie"),
            Map.entry("news", "news"),
            Map.entry("innings", "inning"), Map.entry("inning", "inning"),
            Map.entry("outings", "outing"), Map.entry("outing", "outing"),
            Map.entry("cannings", "canning"), Map.entry("canning", "canning"),
            Map.entry("howe", "howe"),
            Map.entry("proceed", "proceed"), Map.entry("exceed", "exceed"), Map.entry("succeed", "succeed"));

    /** A condition on the stem left after removing a suffix. */
    private interface Condition {
        boolean test(String stem);
    }

    /** One "suffix -> replacement if condition(stem)" rule of the algorithm. */
    private record Rule(String suffix, String replacement, Condition condition) {}

    private static final String DOUBLE_CONSONANT = "*d";

    @Override
    public String stem(String word) {
        String lower = word.toLowerCase(java.util.Locale.ROOT);
        String irregular = IRREGULAR.get(lower);
        if (irregular != null) return irregular;
        if (word.length() <= 2) return lower;
        String s = step1a(lower);
        s = step1b(s);
        s = step1c(s);
        s = step2(s);
        s = step3(s);
        s = step4(s);
        s = step5a(s);
        return step5b(s);
    }

    // --- letter classes -------------------------------------------------------------------

    private static boolean isVowel(char c) {
        return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
    }

    /** 'y' is a consonant at the start or after a vowel, a vowel after a consonant. */
    private static boolean isConsonant(String w, int i) {
        char c = w.charAt(i);
        if (isVowel(c)) return false;
        if (c != 'y') return true;
        return i == 0 || !isConsonant(w, i - 1);
    }

    /** m in [C](VC)^m[V]: the number of vowel-to-consonant transitions. */
    private static int measure(String stem) {
        int m = 0;
        for (int i = 1; i < stem.length(); i++) {
            if (!isConsonant(stem, i - 1) && isConsonant(stem, i)) m++;
        }
        return m;
    }

    private static boolean hasPositiveMeasure(String stem) {
        return measure(stem) > 0;
    }

    private static boolean containsVowel(String stem) {
        for (int i = 0; i < stem.length(); i++) {
            if (!isConsonant(stem, i)) return true;
        }
        return false;
    }

    private static boolean endsDoubleConsonant(String w) {
        int n = w.length();
        return n >= 2 && w.charAt(n - 1) == w.charAt(n - 2) && isConsonant(w, n - 1);
    }

    /** *o: ends consonant-vowel-consonant, the last not w, x or y; NLTK adds a 2-letter vowel-consonant word. */
    private static boolean endsCvc(String w) {
        int n = w.length();
        if (n >= 3 && isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1)) {
            char last = w.charAt(n - 1);
            if (last != 'w' && last != 'x' && last != 'y') return true;
        }
        return n == 2 && !isConsonant(w, 0) && isConsonant(w, 1);
    }

    /** The first rule whose suffix matches decides: applied if its condition holds, else the word stays. */
    private static String applyFirst(String word, Rule... rules) {
        for (Rule r : rules) {
            if (r.suffix.equals(DOUBLE_CONSONANT)) {
                if (endsDoubleConsonant(word)) {
                    String stem = word.substring(0, word.length() - 2);
                    return r.condition == null || r.condition.test(stem) ? stem + r.replacement : word;
                }
                continue;
            }
            if (word.endsWith(r.suffix)) {
                String stem = word.substring(0, word.length() - r.suffix.length());
                return r.condition == null || r.condition.test(stem) ? stem + r.replacement : word;
            }
        }
        return word;
    }

    // --- steps ----------------------------------------------------------------------------

    private static String step1a(String w) {
        if (w.endsWith("ies") && w.length() == 4) return w.substring(0, 1) + "ie";
        return applyFirst(w,
                new Rule("sses", "ss", null),
                new Rule("ies", "i", null),
                new Rule("ss", "ss", null),
                new Rule("s", "", null));
    }

    private static String step1b(String w) {
        if (w.endsWith("ied")) {
            return w.substring(0, w.length() - 3) + (w.length() == 4 ? "ie" : "i");
        }
        if (w.endsWith("eed")) {
            String stem = w.substring(0, w.length() - 3);
            return measure(stem) > 0 ? stem + "ee" : w;
        }
        String stem = null;
        for (String suffix : new String[] {"ed", "ing"}) {
            if (w.endsWith(suffix)) {
                String candidate = w.substring(0, w.length() - suffix.length());
                if (containsVowel(candidate)) {
                    stem = candidate;
                    break;
                }
            }
        }
        if (stem == null) return w;
        final String s = stem;
        char last = s.isEmpty() ? '\0' : s.charAt(s.length() - 1);
        return applyFirst(s,
                new Rule("at", "ate", null),
                new Rule("bl", "ble", null),
                new Rule("iz", "ize", null),
                new Rule(DOUBLE_CONSONANT, String.valueOf(last), x -> last != 'l' && last != 's' && last != 'z'),
                new Rule("", "e", x -> measure(x) == 1 && endsCvc(x)));
    }

    private static String step1c(String w) {
        return applyFirst(w, new Rule("y", "i", stem -> stem.length() > 1 && isConsonant(stem, stem.length() - 1)));
    }

    private static String step2(String w) {
        if (w.endsWith("alli") && hasPositiveMeasure(w.substring(0, w.length() - 4))) {
            return step2(w.substring(0, w.length() - 4) + "al");
        }
        Condition m = PorterStemmer::hasPositiveMeasure;
        return applyFirst(w,
                new Rule("ational", "ate", m),
                new Rule("tional", "tion", m),
                new Rule("enci", "ence", m),
                new Rule("anci", "ance", m),
                new Rule("izer", "ize", m),
                new Rule("bli", "ble", m),
                new Rule("alli", "al", m),
                new Rule("entli", "ent", m),
                new Rule("eli", "e", m),
                new Rule("ousli", "ous", m),
                new Rule("ization", "ize", m),
                new Rule("ation", "ate", m),
                new Rule("ator", "ate", m),
                new Rule("alism", "al", m),
                new Rule("iveness", "ive", m),
                new Rule("fulness", "ful", m),
                new Rule("ousness", "ous", m),
                new Rule("aliti", "al", m),
                new Rule("iviti", "ive", m),
                new Rule("biliti", "ble", m),
                new Rule("fulli", "ful", m),
                // NLTK measures "logi" minus its last three letters, i.e. keeps the 'l'.
                new Rule("logi", "log", stem -> hasPositiveMeasure(w.substring(0, w.length() - 3))));
    }

    private static String step3(String w) {
        Condition m = PorterStemmer::hasPositiveMeasure;
        return applyFirst(w,
                new Rule("icate", "ic", m),
                new Rule("ative", "", m),
                new Rule("alize", "al", m),
                new Rule("iciti", "ic", m),
                new Rule("ical", "ic", m),
                new Rule("ful", "", m),
                new Rule("ness", "", m));
    }

    private static String step4(String w) {
        Condition m = stem -> measure(stem) > 1;
        return applyFirst(w,
                new Rule("al", "", m),
                new Rule("ance", "", m),
                new Rule("ence", "", m),
                new Rule("er", "", m),
                new Rule("ic", "", m),
                new Rule("able", "", m),
                new Rule("ible", "", m),
                new Rule("ant", "", m),
                new Rule("ement", "", m),
                new Rule("ment", "", m),
                new Rule("ent", "", m),
                new Rule("ion", "", stem -> measure(stem) > 1
                        && (stem.endsWith("s") || stem.endsWith("t"))),
                new Rule("ou", "", m),
                new Rule("ism", "", m),
                new Rule("ate", "", m),
                new Rule("iti", "", m),
                new Rule("ous", "", m),
                new Rule("ive", "", m),
                new Rule("ize", "", m));
    }

    private static String step5a(String w) {
        if (w.endsWith("e")) {
            String stem = w.substring(0, w.length() - 1);
            int m = measure(stem);
            if (m > 1 || (m == 1 && !endsCvc(stem))) return stem;
        }
        return w;
    }

    private static String step5b(String w) {
        return applyFirst(w, new Rule("ll", "l", stem -> measure(w.substring(0, w.length() - 1)) > 1));
    }
}
