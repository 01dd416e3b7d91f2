package dev.resumo.tokenizer;

/** A char array reused from call to call for reading a String (array reads beat String.charAt's checks). */
final class ReusableChars {
    private char[] chars = new char[1024];

    /** {@code text[from..to)} copied into the reused array, starting at index 0. */
    char[] of(String text, int from, int to) {
        if (chars.length < to - from) chars = new char[Math.max(to - from, chars.length * 2)];
        text.getChars(from, to, chars, 0);
        return chars;
    }
}
