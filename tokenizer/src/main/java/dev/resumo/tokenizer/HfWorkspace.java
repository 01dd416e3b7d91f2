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

    private final ReusableChars chars = new ReusableChars();

    /** {@code text[from..to)} copied into a reused array. */
    char[] chars(String text, int from, int to) {
        return chars.of(text, from, to);
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
