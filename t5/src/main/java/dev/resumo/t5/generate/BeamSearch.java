package dev.resumo.t5.generate;

import dev.resumo.engine.StepBuffers;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.cpu.Workers;
import dev.resumo.t5.IncrementalDecoder;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Beam search with Hugging Face's semantics (transformers' vectorised {@code _beam_search}, which
 * keeps BeamSearchScorer's results):
 * <ul>
 *   <li>scores are sums of log-softmax probabilities after the logits processors; only the first
 *       beam of each input starts at 0 (the others at -1e9) so the first step does not pick the
 *       same token num_beams times;</li>
 *   <li>each step keeps the 2·num_beams best (beam, token) continuations; those among the top
 *       num_beams that end in {@code </s>} (or reach the length limit) become finished hypotheses
 *       scored sum / generated_length^length_penalty; the best num_beams that did not finish run on;</li>
 *   <li>an input keeps its num_beams best finished hypotheses; it stops accepting new ones when
 *       full and early_stopping is true, or once the best running beam cannot beat the worst
 *       finished one (HF's heuristic, with max length for early_stopping "never");</li>
 *   <li>the search ends when no input can improve, or all are full with early_stopping true, or the
 *       length limit is reached.</li>
 * </ul>
 * With do_sample (beam sampling) the warpers follow the processors, each keeping at least two
 * tokens a beam, and the 2·num_beams continuations are drawn instead of taken best first
 * ({@link BeamSampling}); everything after is the same.
 */
final class BeamSearch {
    private static final float FINISHED_PENALTY = -1.0e9f;
    /** Beam sampling's min_tokens_to_keep: T5's one end token + 1, as generate() sets it for num_beams > 1. */
    static final int MIN_TOKENS_TO_KEEP = 2;

    private record Hypothesis(int[] tokens, float score) {}

    private BeamSearch() {}

    static Generated run(T5Model model, Tensor encoderOutput, int[] attentionMask, GenerationConfig s,
                         java.util.function.BooleanSupplier stop) {
        T5Config c = model.config();
        int batch = encoderOutput.dim(0);
        int beams = s.numBeams();
        int vocab = c.vocabSize();
        int eos = c.eosTokenId();
        int maxLength = 1 + s.maxNewTokens();
        int keep = 2 * beams; // one eos token: at least num_beams continuations are not finished
        int rows = batch * beams;

        IncrementalDecoder decoder = model.startDecoding(encoderOutput, attentionMask, beams, 1 + s.maxNewTokens());
        int[][] running = new int[rows][maxLength];
        float[] runningScores = new float[rows];
        int[] next = new int[rows];
        for (int r = 0; r < rows; r++) {
            running[r][0] = c.decoderStartTokenId();
            next[r] = c.decoderStartTokenId();
            if (r % beams != 0) runningScores[r] = FINISHED_PENALTY;
        }
        List<List<Hypothesis>> finished = new ArrayList<>();
        for (int b = 0; b < batch; b++) finished.add(new ArrayList<>());
        boolean[] canImprove = new boolean[batch];
        Arrays.fill(canImprove, true);

        // Beam sampling: one generator per input, seeded with the seed, so an input's draws do not
        // depend on the inputs batched with it (as sampling gives each row its own; see Generator).
        Random[] rngs = new Random[batch];
        if (s.doSample()) for (int b = 0; b < batch; b++) rngs[b] = new Random(s.seed());
        int[] candRow = new int[keep];
        int[] candToken = new int[keep];
        float[] candScore = new float[keep];
        int curLen = 1;
        StepBuffers pool = DecodeStepBuffers.forCall();
        float[] scoreBuffer = null;
        while (true) {
            if (stop.getAsBoolean()) throw new GenerationCancelledException();
            try (var _ = DecodeStepBuffers.step(pool)) {
                scoreBuffer = Generator.copyOut(decoder.step(next), scoreBuffer); // the step's logits, its arrays then reused
            }
            float[] scores = scoreBuffer;
            // Rows are independent (same arithmetic whatever the split): a log-softmax over the
            // vocabulary per row is worth a thread (~0.3 ms each at PTT5's 32128 tokens).
            int[][] history = running;
            float[] bases = runningScores;
            int length = curLen;
            Workers.parallelFor(rows, 1, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int off = r * vocab;
                    NextTokenScores.logSoftmax(scores, off, vocab);
                    // HF runs its logits processors on the log-probabilities in beam search.
                    NextTokenScores.applyProcessors(scores, off, history[r], length, s, eos);
                    if (s.doSample()) {
                        // Beam sampling: generate() appends the warpers to the processors, keeping at
                        // least 2 tokens a beam (its ends + 1) so that every beam can go on unfinished.
                        NextTokenScores.warpForSampling(scores, off, vocab, s.temperature(), s.topK(), s.topP(),
                                MIN_TOKENS_TO_KEEP);
                    }
                    float base = bases[r];
                    for (int i = off; i < off + vocab; i++) scores[i] += base;
                }
            });
            int[][] nextRunning = new int[rows][];
            float[] nextScores = new float[rows];
            int[] sources = new int[rows];
            boolean allHitStop = true;
            for (int b = 0; b < batch; b++) {
                int n = s.doSample()
                        ? BeamSampling.sampleContinuations(scores, b * beams, beams, vocab, rngs[b], s, curLen - 1, candRow,
                                candToken, candScore)
                        : topContinuations(scores, b * beams, beams, vocab, candRow, candToken, candScore);
                boolean[] hits = new boolean[n];
                for (int i = 0; i < n; i++) {
                    hits[i] = candToken[i] == eos || curLen + 1 >= maxLength;
                    allHitStop &= hits[i];
                }
                // Running beams for the next step: the best continuations that did not finish.
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) order[i] = i;
                Arrays.sort(order, (x, y) -> Float.compare(adjusted(candScore[y], hits[y]), adjusted(candScore[x], hits[x])));
                for (int j = 0; j < beams; j++) {
                    int cand = order[j];
                    int row = b * beams + j;
                    int[] seq = Arrays.copyOf(running[candRow[cand]], maxLength);
                    seq[curLen] = candToken[cand];
                    nextRunning[row] = seq;
                    nextScores[row] = adjusted(candScore[cand], hits[cand]);
                    sources[row] = candRow[cand];
                }
                // Finished hypotheses: only among the top num_beams continuations.
                List<Hypothesis> done = finished.get(b);
                boolean full = done.size() == beams && s.earlyStopping() == GenerationConfig.EarlyStopping.TRUE;
                if (!full && canImprove[b]) {
                    float norm = (float) Math.pow(curLen, s.lengthPenalty()); // generated length incl. the new token
                    for (int i = 0; i < Math.min(beams, n); i++) {
                        if (!hits[i]) continue;
                        int[] seq = Arrays.copyOf(running[candRow[i]], curLen + 1);
                        seq[curLen] = candToken[i];
                        insert(done, new Hypothesis(seq, candScore[i] / norm), beams);
                    }
                }
            }
            decoder.reorder(sources);
            running = nextRunning;
            runningScores = nextScores;
            for (int r = 0; r < rows; r++) next[r] = running[r][curLen];
            curLen++;

            boolean anyCanImprove = false;
            boolean allFull = true;
            for (int b = 0; b < batch; b++) {
                List<Hypothesis> done = finished.get(b);
                if (canImprove[b] && done.size() == beams) {
                    boolean never = s.earlyStopping() == GenerationConfig.EarlyStopping.NEVER && s.lengthPenalty() > 0f;
                    int bestLength = never ? maxLength - 1 : curLen - 1;
                    float best = runningScores[b * beams] / (float) Math.pow(bestLength, s.lengthPenalty());
                    canImprove[b] = best > done.get(done.size() - 1).score();
                }
                anyCanImprove |= canImprove[b];
                allFull &= done.size() == beams;
            }
            boolean stopAllFull = allFull && s.earlyStopping() == GenerationConfig.EarlyStopping.TRUE;
            if (!anyCanImprove || stopAllFull || allHitStop) break;
        }

        List<int[]> out = new ArrayList<>();
        float[] outScores = new float[batch * s.numReturnSequences()];
        for (int b = 0; b < batch; b++) {
            List<Hypothesis> done = finished.get(b);
            for (int j = 0; j < s.numReturnSequences(); j++) {
                outScores[out.size()] = done.get(j).score();
                out.add(done.get(j).tokens());
            }
        }
        return new Generated(out, s.numReturnSequences(), outScores);
    }

    private static float adjusted(float score, boolean hitStop) {
        return hitStop ? score + FINISHED_PENALTY : score;
    }

    /** Keeps {@code list} sorted best first and at most {@code capacity} long. */
    private static void insert(List<Hypothesis> list, Hypothesis h, int capacity) {
        int at = 0;
        while (at < list.size() && list.get(at).score() >= h.score()) at++;
        if (at >= capacity) return;
        list.add(at, h);
        if (list.size() > capacity) list.remove(list.size() - 1);
    }

    /**
     * The best {@code row.length} (row, token) pairs of the beams {@code firstRow ..
     * firstRow+beams-1}, best first (torch.topk over the flattened [beams × vocab] scores).
     */
    private static int topContinuations(float[] scores, int firstRow, int beams, int vocab,
                                        int[] row, int[] token, float[] value) {
        int k = row.length;
        int n = 0;
        for (int bm = 0; bm < beams; bm++) {
            int off = (firstRow + bm) * vocab;
            for (int t = 0; t < vocab; t++) {
                float v = scores[off + t];
                if (n == k && !(v > value[k - 1])) continue;
                int at = n == k ? k - 1 : n++;
                while (at > 0 && v > value[at - 1]) {
                    value[at] = value[at - 1];
                    row[at] = row[at - 1];
                    token[at] = token[at - 1];
                    at--;
                }
                value[at] = v;
                row[at] = firstRow + bm;
                token[at] = t;
            }
        }
        return n;
    }
}
