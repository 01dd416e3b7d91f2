package dev.resumo.train.rouge;

import java.util.Locale;

/**
 * The Portuguese Snowball stemmer (snowball.tartarus.org/algorithms/portuguese/stemmer.html) as
 * NLTK implements it ({@code SnowballStemmer("portuguese")}), which is what XL-Sum's multilingual
 * ROUGE stems Portuguese with. NLTK's reading of the algorithm has quirks kept here on purpose so
 * scores match: only the first step-1 suffix the word ends with is considered (even when its region
 * test then fails), and the suffix lists are tried in NLTK's order. "ã"/"õ" are rewritten as
 * "a~"/"o~" during stemming, as the algorithm says.
 */
public final class PortugueseStemmer implements Stemmer {
    private static final String VOWELS = "aeiouáéíóúâêô";

    private static final String[] STEP1 = {
        "amentos", "imentos", "uço~es", "amento", "imento", "adoras", "adores", "aço~es", "logias",
        "ências", "amente", "idades", "anças", "ismos", "istas", "adora", "aça~o", "antes", "ância",
        "logia", "uça~o", "ência", "mente", "idade", "ança", "ezas", "icos", "icas", "ismo", "ável",
        "ível", "ista", "osos", "osas", "ador", "ante", "ivas", "ivos", "iras", "eza", "ico", "ica",
        "oso", "osa", "iva", "ivo", "ira",
    };

    private static final String[] STEP2 = {
        "aríamos", "eríamos", "iríamos", "ássemos", "êssemos", "íssemos", "aríeis", "eríeis", "iríeis",
        "ásseis", "ésseis", "ísseis", "áramos", "éramos", "íramos", "ávamos", "aremos", "eremos",
        "iremos", "ariam", "eriam", "iriam", "assem", "essem", "issem", "ara~o", "era~o", "ira~o",
        "arias", "erias", "irias", "ardes", "erdes", "irdes", "asses", "esses", "isses", "astes",
        "estes", "istes", "áreis", "areis", "éreis", "ereis", "íreis", "ireis", "áveis", "íamos",
        "armos", "ermos", "irmos", "aria", "eria", "iria", "asse", "esse", "isse", "aste", "este",
        "iste", "arei", "erei", "irei", "aram", "eram", "iram", "avam", "arem", "erem", "irem",
        "ando", "endo", "indo", "adas", "idas", "arás", "aras", "erás", "eras", "irás", "avas",
        "ares", "eres", "ires", "íeis", "ados", "idos", "ámos", "amos", "emos", "imos", "iras",
        "ada", "ida", "ará", "ara", "erá", "era", "irá", "ava", "iam", "ado", "ido", "ias", "ais",
        "eis", "ira", "ia", "ei", "am", "em", "ar", "er", "ir", "as", "es", "is", "eu", "iu", "ou",
    };

    private static final String[] STEP4 = {"os", "a", "i", "o", "á", "í", "ó"};

    @Override
    public String stem(String input) {
        String word = input.toLowerCase(Locale.ROOT)
                .replace("ã", "a~").replace("õ", "o~").replace("qü", "qu").replace("gü", "gu");
        Regions r = Regions.of(word);
        boolean step1 = false;
        boolean step2 = false;

        for (String suffix : STEP1) {
            if (!word.endsWith(suffix)) continue;
            if (suffix.equals("amente") && r.r1.endsWith(suffix)) {
                step1 = true;
                word = cut(word, 6);
                r.r2 = cut(r.r2, 6);
                r.rv = cut(r.rv, 6);
                if (r.r2.endsWith("iv")) {
                    word = cut(word, 2);
                    r.r2 = cut(r.r2, 2);
                    r.rv = cut(r.rv, 2);
                    if (r.r2.endsWith("at")) {
                        word = cut(word, 2);
                        r.rv = cut(r.rv, 2);
                    }
                } else if (r.r2.endsWith("os") || r.r2.endsWith("ic") || r.r2.endsWith("ad")) {
                    word = cut(word, 2);
                    r.rv = cut(r.rv, 2);
                }
            } else if ((suffix.equals("ira") || suffix.equals("iras")) && r.rv.endsWith(suffix)
                    && word.length() > suffix.length() && word.charAt(word.length() - suffix.length() - 1) == 'e') {
                step1 = true;
                word = replaceSuffix(word, suffix, "ir");
                r.rv = replaceSuffix(r.rv, suffix, "ir");
            } else if (r.r2.endsWith(suffix)) {
                step1 = true;
                word = step1InR2(suffix, word, r);
            }
            break; // NLTK looks no further than the first suffix the word ends with
        }

        if (!step1) {
            for (String suffix : STEP2) {
                if (r.rv.endsWith(suffix)) {
                    step2 = true;
                    word = cut(word, suffix.length());
                    r.rv = cut(r.rv, suffix.length());
                    break;
                }
            }
        }

        if ((step1 || step2) && r.rv.endsWith("i") && word.length() >= 2 && word.charAt(word.length() - 2) == 'c') {
            word = cut(word, 1);
            r.rv = cut(r.rv, 1);
        }

        if (!step1 && !step2) {
            for (String suffix : STEP4) {
                if (r.rv.endsWith(suffix)) {
                    word = cut(word, suffix.length());
                    r.rv = cut(r.rv, suffix.length());
                    break;
                }
            }
        }

        if (r.rv.endsWith("e") || r.rv.endsWith("é") || r.rv.endsWith("ê")) {
            word = cut(word, 1);
            r.rv = cut(r.rv, 1);
            if ((word.endsWith("gu") && r.rv.endsWith("u")) || (word.endsWith("ci") && r.rv.endsWith("i"))) {
                word = cut(word, 1);
            }
        } else if (word.endsWith("ç")) {
            word = replaceSuffix(word, "ç", "c");
        }
        return word.replace("a~", "ã").replace("o~", "õ");
    }

    /** Step 1 suffixes removed (or rewritten) when they lie in R2. */
    private static String step1InR2(String suffix, String word, Regions r) {
        switch (suffix) {
            case "logia", "logias" -> {
                r.rv = replaceSuffix(r.rv, suffix, "log");
                return replaceSuffix(word, suffix, "log");
            }
            case "uça~o", "uço~es" -> {
                r.rv = replaceSuffix(r.rv, suffix, "u");
                return replaceSuffix(word, suffix, "u");
            }
            case "ência", "ências" -> {
                r.rv = replaceSuffix(r.rv, suffix, "ente");
                return replaceSuffix(word, suffix, "ente");
            }
            case "mente" -> {
                word = cut(word, 5);
                r.r2 = cut(r.r2, 5);
                r.rv = cut(r.rv, 5);
                if (r.r2.endsWith("ante") || r.r2.endsWith("avel") || r.r2.endsWith("ivel")) {
                    word = cut(word, 4);
                    r.rv = cut(r.rv, 4);
                }
                return word;
            }
            case "idade", "idades" -> {
                word = cut(word, suffix.length());
                r.r2 = cut(r.r2, suffix.length());
                r.rv = cut(r.rv, suffix.length());
                if (r.r2.endsWith("ic") || r.r2.endsWith("iv")) {
                    word = cut(word, 2);
                    r.rv = cut(r.rv, 2);
                } else if (r.r2.endsWith("abil")) {
                    word = cut(word, 4);
                    r.rv = cut(r.rv, 4);
                }
                return word;
            }
            case "iva", "ivo", "ivas", "ivos" -> {
                word = cut(word, suffix.length());
                r.r2 = cut(r.r2, suffix.length());
                r.rv = cut(r.rv, suffix.length());
                if (r.r2.endsWith("at")) {
                    word = cut(word, 2);
                    r.rv = cut(r.rv, 2);
                }
                return word;
            }
            default -> {
                r.rv = cut(r.rv, suffix.length());
                return cut(word, suffix.length());
            }
        }
    }

    /** Python's s[:-n]: drops the last n characters, or everything when shorter. */
    private static String cut(String s, int n) {
        return s.substring(0, Math.max(0, s.length() - n));
    }

    /** NLTK's suffix_replace: the word minus len(old) characters, plus the new suffix. */
    private static String replaceSuffix(String s, String old, String replacement) {
        return cut(s, old.length()) + replacement;
    }

    private static boolean isVowel(char c) {
        return VOWELS.indexOf(c) >= 0;
    }

    /** The regions R1, R2 and RV as NLTK's _r1r2_standard and _rv_standard compute them. */
    private static final class Regions {
        String r1 = "";
        String r2 = "";
        String rv = "";

        static Regions of(String word) {
            Regions r = new Regions();
            r.r1 = afterFirstNonVowelFollowingVowel(word);
            r.r2 = afterFirstNonVowelFollowingVowel(r.r1);
            if (word.length() >= 2) {
                if (!isVowel(word.charAt(1))) {
                    for (int i = 2; i < word.length(); i++) {
                        if (isVowel(word.charAt(i))) {
                            r.rv = word.substring(i + 1);
                            break;
                        }
                    }
                } else if (isVowel(word.charAt(0)) && isVowel(word.charAt(1))) {
                    for (int i = 2; i < word.length(); i++) {
                        if (!isVowel(word.charAt(i))) {
                            r.rv = word.substring(i + 1);
                            break;
                        }
                    }
                } else {
                    r.rv = word.substring(Math.min(3, word.length()));
                }
            }
            return r;
        }

        private static String afterFirstNonVowelFollowingVowel(String s) {
            for (int i = 1; i < s.length(); i++) {
                if (!isVowel(s.charAt(i)) && isVowel(s.charAt(i - 1))) return s.substring(i + 1);
            }
            return "";
        }
    }
}
