package dev.resumo.tokenizer;

import java.util.Arrays;

/**
 * The Viterbi of Hugging Face's Rust {@code Unigram} model ({@code encode_optimized}), which differs
 * from SentencePiece's in small ways that change ids on odd input: every vocabulary entry is in the
 * trie (control and byte pieces too), scores and path sums are f64, there is no user-defined bonus
 * and no unused pieces, the lowest score is taken over the whole vocabulary, consecutive unknowns
 * are fused, and byte fallback (when on) spells a fused unknown as {@code <0xNN>} pieces.
 */
final class HfUnigramSegmenter {
    private static final double UNK_PENALTY = 10.0;

    private final DoubleArrayTrie trie;
    private final double[] scores;
    private final int unkId;
    private final double unkScore;
    private final int[] byteIds; // null without byte fallback

    HfUnigramSegmenter(SentencePieceModel model, boolean byteFallback, String source) {
        int n = model.size();
        scores = new double[n];
        int totalBytes = 0;
        for (int i = 0; i < n; i++) totalBytes += model.pieces().get(i).length() * 3;
        PieceTrie builder = new PieceTrie(totalBytes);
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            scores[i] = model.scores()[i];
            min = Math.min(min, scores[i]);
            builder.put(model.pieces().get(i), i);
        }
        trie = DoubleArrayTrie.compile(builder);
        unkId = model.trainerSpec().unkId();
        if (unkId < 0 || unkId >= n) throw new TokenizerException(source + ": the model has no <unk> piece");
        unkScore = min - UNK_PENALTY;
        int[] bytes = null;
        if (byteFallback) {
            bytes = new int[256];
            Arrays.fill(bytes, -1);
            for (int i = 0; i < n; i++) {
                String p = model.pieces().get(i);
                if (p.length() == 6 && p.matches("<0x[0-9A-F]{2}>")) bytes[UnigramSegmenter.parseBytePiece(p, source)] = i;
            }
        }
        byteIds = bytes;
    }

    /** Appends the ids of {@code s[0..size)} (one pre-tokenized word, ▁ included) to {@code out}. */
    void encode(byte[] s, int size, HfWorkspace w, IntList out) {
        if (size == 0) return;
        w.ensureLattice(size + 1);
        double[] bestScore = w.bestScore;
        int[] bestStart = w.bestStart;
        int[] bestId = w.bestId;
        Arrays.fill(bestStart, 0, size + 1, -1);
        bestScore[0] = 0;
        int start = 0;
        while (start < size) {
            double base = bestScore[start];
            int charLen = Math.min(Utf8.charLength(s[start]), size - start);
            boolean hasSingle = false;
            int node = DoubleArrayTrie.ROOT;
            for (int k = start; k < size; k++) {
                node = trie.child(node, s[k]);
                if (node < 0) break;
                int id = trie.value(node);
                if (id < 0) continue;
                double candidate = scores[id] + base;
                int end = k + 1;
                if (bestStart[end] == -1 || candidate > bestScore[end]) {
                    bestScore[end] = candidate;
                    bestStart[end] = start;
                    bestId[end] = id;
                }
                if (end - start == charLen) hasSingle = true;
            }
            if (!hasSingle) {
                int end = start + charLen;
                double candidate = unkScore + base;
                if (bestStart[end] == -1 || candidate > bestScore[end]) {
                    bestScore[end] = candidate;
                    bestStart[end] = start;
                    bestId[end] = unkId;
                }
            }
            start += charLen;
        }
        IntList ends = w.ends;
        ends.clear();
        for (int end = size; end > 0; end = bestStart[end]) ends.add(end);
        // Walk the pieces in order; a run of unknowns is fused into one span [unkFrom, prevEnd).
        int prevEnd = 0;
        int unkFrom = -1;
        for (int i = ends.size - 1; i >= 0; i--) {
            int end = ends.values[i];
            if (bestId[end] == unkId) {
                if (unkFrom < 0) unkFrom = prevEnd;
            } else {
                if (unkFrom >= 0) emitUnknown(s, unkFrom, prevEnd, out);
                unkFrom = -1;
                out.add(bestId[end]);
            }
            prevEnd = end;
        }
        if (unkFrom >= 0) emitUnknown(s, unkFrom, prevEnd, out);
    }

    private void emitUnknown(byte[] s, int from, int to, IntList out) {
        if (byteIds != null) {
            boolean all = true;
            for (int k = from; k < to && all; k++) all = byteIds[s[k] & 0xFF] >= 0;
            if (all) {
                for (int k = from; k < to; k++) out.add(byteIds[s[k] & 0xFF]);
                return;
            }
        }
        out.add(unkId);
    }
}
