package dev.resumo.tokenizer;

/** Reusable buffers of one thread encoding the Hugging Face way (see {@link HfSegmentEncoder}). */
final class HfWorkspace {
    final ByteSink normalized = new ByteSink(1024);
    final ByteSink grapheme = new ByteSink(16);
    final ByteSink word = new ByteSink(256);
    final IntList ids = new IntList(256);
    final IntList ends = new IntList(256);
    double[] bestScore = new double[0];
    int[] bestStart = new int[0];
    int[] bestId = new int[0];

    private char[] chars = new char[1024];

    /** {@code text[from..to)} copied into a reused array (array reads beat String.charAt's checks). */
    char[] chars(String text, int from, int to) {
        if (chars.length < to - from) chars = new char[Math.max(to - from, chars.length * 2)];
        text.getChars(from, to, chars, 0);
        return chars;
    }

    void ensureLattice(int positions) {
        if (bestScore.length < positions) {
            int n = Math.max(positions, bestScore.length * 2);
            bestScore = new double[n];
            bestStart = new int[n];
            bestId = new int[n];
        }
    }
}
