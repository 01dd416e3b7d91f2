package dev.resumo.tokenizer;

/**
 * SentencePiece's unigram Viterbi ({@code Model::EncodeOptimized}) over normalized UTF-8 bytes: the
 * best-scoring split into pieces, where a character no piece covers costs (lowest score - 10) as
 * {@code <unk>}; consecutive unknowns merge into one {@code <unk>} or, with byte fallback, become
 * their {@code <0xNN>} byte pieces. User-defined pieces score {@code length * maxScore - 0.1}, which
 * makes them win. Arithmetic follows sentencepiece 0.2.3: every candidate path score is a float sum
 * compared as a float (a double comparison, as in older EncodeOptimized sources, breaks exact float
 * ties the other way on long words), and the first candidate wins a tie.
 */
final class UnigramSegmenter {
    private static final float UNK_PENALTY = 10.0f;

    private final DoubleArrayTrie trie;
    private final float[] scores;
    private final byte[] kind; // per id: 0 normal, 1 user-defined, 2 unused
    private final int unkId;
    private final float unkScore;
    private final float maxScore;
    private final int[] byteIds; // id of <0xNN> for each byte, or null without byte fallback

    UnigramSegmenter(SentencePieceModel model, String source) {
        int n = model.size();
        scores = model.scores();
        kind = new byte[n];
        float min = Float.MAX_VALUE;
        float max = Float.MIN_VALUE; // sic: SentencePiece starts from FLT_MIN, the smallest positive float
        int unk = -1;
        int totalBytes = 0;
        for (int i = 0; i < n; i++) totalBytes += model.pieces().get(i).length() * 3;
        PieceTrie builder = new PieceTrie(totalBytes);
        int[] bytes = null;
        for (int i = 0; i < n; i++) {
            PieceType t = model.types()[i];
            switch (t) {
                case NORMAL -> {
                    min = Math.min(min, scores[i]);
                    max = Math.max(max, scores[i]);
                    builder.put(model.pieces().get(i), i);
                }
                case USER_DEFINED -> { kind[i] = 1; builder.put(model.pieces().get(i), i); }
                case UNUSED -> { kind[i] = 2; builder.put(model.pieces().get(i), i); }
                case UNKNOWN -> { if (unk < 0) unk = i; }
                case BYTE -> {
                    if (!model.trainerSpec().byteFallback()) {
                        throw new TokenizerException(source + ": byte piece " + model.pieces().get(i)
                                + " in a model without byte fallback");
                    }
                    if (bytes == null) { bytes = new int[256]; java.util.Arrays.fill(bytes, -1); }
                    bytes[parseBytePiece(model.pieces().get(i), source)] = i;
                }
                case CONTROL -> { }
            }
        }
        trie = DoubleArrayTrie.compile(builder);
        if (unk < 0) throw new TokenizerException(source + ": the model has no <unk> piece");
        if (model.trainerSpec().byteFallback()) {
            if (bytes == null) throw new TokenizerException(source + ": byte fallback is on but the model has no <0xNN> pieces");
            for (int b = 0; b < 256; b++) {
                if (bytes[b] < 0) throw new TokenizerException(source + String.format(": byte fallback is on but piece <0x%02X> is missing", b));
            }
        }
        unkId = unk;
        unkScore = min - UNK_PENALTY;
        maxScore = max;
        byteIds = bytes;
    }

    static int parseBytePiece(String piece, String source) {
        if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
            try {
                return Integer.parseInt(piece.substring(3, 5), 16);
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new TokenizerException(source + ": byte piece '" + piece + "' is not of the form <0xNN>");
    }

    /** Appends the ids of {@code s[0..size)} (normalized bytes) to {@code out}. */
    void encode(byte[] s, int size, EncodeWorkspace w, IntList out) {
        if (size == 0) return;
        w.ensureLattice(size + 1);
        float[] bestScore = w.bestScore;
        int[] bestStart = w.bestStart;
        int[] bestId = w.bestId;
        java.util.Arrays.fill(bestScore, 1, size + 1, Float.NEGATIVE_INFINITY); // ("no path yet": any candidate beats it)
        bestScore[0] = 0;
        DoubleArrayTrie t = trie;
        float[] sc = scores;
        byte[] kd = kind;
        int start = 0;
        while (start < size) {
            float base = bestScore[start];
            int charLen = Math.min(Utf8.charLength(s[start]), size - start);
            boolean hasSingle = false;
            int node = DoubleArrayTrie.ROOT;
            for (int k = start; k < size; k++) {
                node = t.child(node, s[k]);
                if (node < 0) break;
                int id = t.value(node);
                if (id < 0) continue;
                byte pk = kd[id];
                if (pk == 2) continue;
                int length = k + 1 - start;
                // All in float, compared in float: sentencepiece 0.2.3 keeps the first of two paths
                // whose float sums tie, where a double comparison would pick by rounding noise.
                float candidate = (pk == 1 ? (float) ((double) (length * maxScore) - 0.1) : sc[id]) + base;
                int end = k + 1;
                if (candidate > bestScore[end]) {
                    bestScore[end] = candidate;
                    bestStart[end] = start;
                    bestId[end] = id;
                }
                if (length == charLen) hasSingle = true;
            }
            if (!hasSingle) {
                int end = start + charLen;
                float candidate = unkScore + base;
                if (candidate > bestScore[end]) {
                    bestScore[end] = candidate;
                    bestStart[end] = start;
                    bestId[end] = unkId;
                }
            }
            start += charLen;
        }
        // Backtrack: piece ends come out last first.
        IntList ends = w.ends;
        ends.clear();
        for (int end = size; end > 0; end = bestStart[end]) ends.add(end);
        int first = out.size;
        int prevEnd = 0;
        for (int i = ends.size - 1; i >= 0; i--) {
            int end = ends.values[i];
            int id = bestId[end];
            if (id == unkId && byteIds != null) {
                for (int k = prevEnd; k < end; k++) out.add(byteIds[s[k] & 0xFF]);
            } else if (!(id == unkId && out.size > first && out.last() == unkId)) {
                out.add(id); // (an unknown right after an unknown merges into it)
            }
            prevEnd = end;
        }
    }

    int unkId() {
        return unkId;
    }
}
