package dev.resumo.t5;

/**
 * "Blank" for texts and summaries: nothing a tokenizer would turn into content. {@link String#isBlank()}
 * misses no-break spaces (U+00A0, U+2007, U+202F) and the invisible format characters (zero-width
 * space and joiners U+200B-U+200D, word joiner U+2060, BOM/zero-width no-break space U+FEFF, and
 * every other control or format character), so a text of only those would reach the model as an
 * empty input. One rule for the CLI, serve and batch.
 */
public final class BlankText {
    private BlankText() {}

    public static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (!isInvisible(c)) return false;
            i += Character.charCount(c);
        }
        return true;
    }

    private static boolean isInvisible(int c) {
        int type = Character.getType(c);
        // controls (NUL, ESC, DEL...) and format characters (bidi marks and isolates U+200E/F,
        // U+202A-202E, U+2066-2069, soft hyphen, the zero-width ones) carry no text either: a
        // request of only "\u0000" or "\u202e\u2066" was summarized (serve QA sweep)
        return Character.isWhitespace(c) || Character.isSpaceChar(c)
                || type == Character.CONTROL || type == Character.FORMAT;
    }
}
