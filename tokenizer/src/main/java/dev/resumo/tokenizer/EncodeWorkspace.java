package dev.resumo.tokenizer;

/**
 * Buffers one encoding thread reuses from call to call: UTF-8 input, normalized bytes, the Viterbi
 * table and the output ids. Grown on demand, never shrunk; one per thread (see {@link T5Tokenizer}).
 */
final class EncodeWorkspace {
    final ByteSink utf8 = new ByteSink(1024);
    final ByteSink normalized = new ByteSink(1024);
    final IntList ids = new IntList(256);
    /** Piece end offsets found by the Viterbi backtrack (last piece first). */
    final IntList ends = new IntList(256);
    float[] bestScore = new float[0];
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
            bestScore = new float[n];
            bestStart = new int[n];
            bestId = new int[n];
        }
    }
}
