package dev.resumo.train.rouge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits Portuguese text into sentences, for ROUGE-Lsum and for Lead-N baselines.
 *
 * <p>A line break always ends a sentence (news texts put titles and paragraphs on lines of their
 * own). Inside a line a sentence ends after a run of ".", "!", "?" or "…", optionally followed by
 * closing quotes or brackets, when whitespace and then a plausible sentence start follow (a
 * capital letter, a digit, an opening quote, bracket or dash). It does not end after:
 * <ul>
 *   <li>a known abbreviation that is normally followed by more of the same sentence: titles
 *       (Sr., Sra., Dr., Dra., Prof., Profa., Gen., Dep., ...), references (p.ex., pág., art.,
 *       nº, vol., fig., ...) and unambiguous month abbreviations (jan., fev., ...);</li>
 *   <li>a single capital letter (initials: "J. K. Rowling", "Fernando H. Cardoso");</li>
 *   <li>a terminator followed directly by a non-space ("3.5", "3,5", "www.folha.com.br", "?!").</li>
 * </ul>
 * A lowercase word after the terminator keeps the sentence going ("... etc. e outros").
 */
public final class SentenceSplitter {
    private static final Set<String> ABBREVIATIONS = Set.of(
            // forms of address and titles
            "sr", "sra", "srs", "sras", "srta", "srtas", "dr", "dra", "drs", "dras", "prof", "profa", "profs",
            "profas", "eng", "enga", "arq", "adv", "exmo", "exma", "ilmo", "ilma", "revmo", "pe", "fr", "d",
            "v.exa", "s.exa", "v.sa", "gen", "cel", "ten", "sgt", "maj", "cap", "alm", "brig", "dep", "sen",
            "pres", "gov", "min", "sto", "sta",
            // references and usual abbreviations inside a sentence
            "p.ex", "ex", "pág", "págs", "pag", "pags", "p", "pp", "vol", "vols", "caps", "art", "arts",
            "inc", "incs", "fig", "figs", "tab", "ed", "eds", "n", "nº", "núm", "obs", "tel", "av", "r", "cf",
            "vs", "aprox", "máx", "mín", "séc", "cia", "ltda", "dept", "depto", "i.e", "e.g", "a.c", "d.c",
            // month abbreviations that are not also words ("mar", "set", "out" are)
            "jan", "fev", "abr", "mai", "jun", "jul", "ago", "nov", "dez");

    private static final String TERMINATORS = ".!?…";
    private static final String CLOSERS = "\"'”’»)]";
    private static final String OPENERS = "\"'“‘«([—–-¿¡";

    /** The sentences of text, trimmed, in order, none empty. */
    public List<String> split(String text) {
        List<String> sentences = new ArrayList<>();
        for (String line : text.split("\\R")) {
            splitLine(line, sentences);
        }
        return sentences;
    }

    private static void splitLine(String line, List<String> out) {
        int start = 0;
        int i = 0;
        while (i < line.length()) {
            if (TERMINATORS.indexOf(line.charAt(i)) < 0) {
                i++;
                continue;
            }
            int runEnd = i;
            while (runEnd < line.length() && TERMINATORS.indexOf(line.charAt(runEnd)) >= 0) runEnd++;
            int end = runEnd;
            while (end < line.length() && CLOSERS.indexOf(line.charAt(end)) >= 0) end++;
            int next = end;
            while (next < line.length() && Character.isWhitespace(line.charAt(next))) next++;
            boolean spaced = next > end;
            boolean single = runEnd - i == 1 && line.charAt(i) == '.';
            if (spaced && next < line.length() && startsSentence(line.charAt(next))
                    && !(single && isAbbreviationBefore(line, i))) {
                add(line.substring(start, end), out);
                start = next;
            }
            i = Math.max(end, runEnd);
        }
        add(line.substring(start), out);
    }

    private static void add(String sentence, List<String> out) {
        String trimmed = sentence.strip();
        if (!trimmed.isEmpty()) out.add(trimmed);
    }

    private static boolean startsSentence(char c) {
        return Character.isUpperCase(c) || Character.isTitleCase(c) || Character.isDigit(c) || OPENERS.indexOf(c) >= 0;
    }

    /** Whether the word ending at the period at dot is an abbreviation or an initial. */
    private static boolean isAbbreviationBefore(String line, int dot) {
        int from = dot;
        while (from > 0 && !Character.isWhitespace(line.charAt(from - 1))) from--;
        while (from < dot && OPENERS.indexOf(line.charAt(from)) >= 0) from++;
        String word = line.substring(from, dot);
        if (word.isEmpty()) return false;
        if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) return true; // an initial
        return ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
    }
}
