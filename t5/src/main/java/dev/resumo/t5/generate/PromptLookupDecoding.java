package dev.resumo.t5.generate;

import dev.resumo.engine.Ops;
import dev.resumo.engine.StepBuffers;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.cpu.ScreenedLogits;
import dev.resumo.t5.IncrementalDecoder;
import dev.resumo.t5.T5Config;
import dev.resumo.t5.T5Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Greedy decoding that checks draft tokens ({@link PromptLookup}: what follows, in the input
 * text, the phrase the summary is copying) in one decoder pass: the last chosen token and d draft
 * tokens go in as d + 1 positions, the model's greedy choice after each comes out, and the drafts
 * are kept up to the first one the model would not have chosen, plus the model's own token there.
 * A pass costs about one step at d + 1 rows — the weights are read once for all positions, and a
 * one-row step is bound by reading them — so where a summary copies its text, several tokens come
 * out of a pass instead of one.
 *
 * <p>The output is plain greedy decoding's, token for token: position j of a pass gets the bits a
 * step of its own would give ({@link IncrementalDecoder#stepHiddenPositions}), and each token is
 * chosen from it by the same rules, in order (penalties, bans, screening, first index on ties),
 * against the sequence as it stands at that position. transformers' assisted decoding promises the
 * same only up to its floating-point differences between batched and single positions.
 *
 * <p>Rows are decoded one at a time (drafts are accepted in different numbers per row, so the
 * rows' positions part ways): the tool for one text at low latency; a batch of texts is
 * usually served faster by batched greedy steps, which read the weights once for all rows.
 */
final class PromptLookupDecoding {
    /** Draft tokens for a sequence: writes up to max into out, returns how many. */
    interface Drafter {
        int draft(int[] seq, int len, int max, int[] out);
    }

    /** Sequences and the decoder passes that made them (passes ≤ tokens; fewer when drafts were kept). */
    record Outcome(Generated generated, int passes, int tokens) {}

    private PromptLookupDecoding() {}

    /** Every row with drafts from its own input tokens (those with mask 1). */
    static Outcome run(T5Model model, Tensor encoderOutput, int[] inputIds, int[] attentionMask, int batch, int length,
                       GenerationConfig s, BooleanSupplier stop) {
        List<Drafter> drafters = new ArrayList<>(batch);
        for (int r = 0; r < batch; r++) {
            int[] source = realTokens(inputIds, attentionMask, r * length, length);
            drafters.add((seq, len, max, out) -> PromptLookup.draft(source, seq, len, max, out));
        }
        return run(model, encoderOutput, attentionMask, length, s, stop, drafters);
    }

    /** As above with the given drafters, one per row (tests give oracles and liars). */
    static Outcome run(T5Model model, Tensor encoderOutput, int[] attentionMask, int length, GenerationConfig s,
                       BooleanSupplier stop, List<Drafter> drafters) {
        int batch = encoderOutput.dim(0);
        List<int[]> out = new ArrayList<>(batch);
        int passes = 0, tokens = 0;
        StepBuffers pool = DecodeStepBuffers.forCall();
        for (int r = 0; r < batch; r++) {
            Tensor encoderRow = batch == 1 ? encoderOutput : Ops.slice(encoderOutput, 0, r, r + 1);
            int[] maskRow = Arrays.copyOfRange(attentionMask, r * length, (r + 1) * length);
            IncrementalDecoder decoder = model.startDecoding(encoderRow, maskRow, 1, 1 + s.maxNewTokens());
            Row row = new Row(model.config(), decoder, s);
            while (!row.done()) {
                if (stop.getAsBoolean()) throw new GenerationCancelledException();
                try (var _ = DecodeStepBuffers.step(pool)) {
                    row.pass(drafters.get(r));
                }
                passes++;
            }
            tokens += row.len - 1;
            out.add(Arrays.copyOf(row.seq, row.len));
        }
        return new Outcome(new Generated(out, 1), passes, tokens);
    }

    private static int[] realTokens(int[] ids, int[] mask, int from, int length) {
        int n = 0;
        for (int i = 0; i < length; i++) if (mask[from + i] != 0) n++;
        int[] out = new int[n];
        n = 0;
        for (int i = 0; i < length; i++) if (mask[from + i] != 0) out[n++] = ids[from + i];
        return out;
    }

    /** One row's decode: its sequence, and the choice of each token as {@link Generator}'s greedy steps make it. */
    private static final class Row {
        private final T5Config config;
        private final IncrementalDecoder decoder;
        private final GenerationConfig s;
        private final ScreenedLogits screen;
        private final float[] approx;
        private final int[] penalised;
        private final int[] draft;
        /**
         * A pass's input tokens (the last chosen one, then the draft) by draft length: the decoder
         * takes exactly its tokens, so one array per length, made once and reused.
         */
        private final int[][] inputs;
        private final int[] seq;
        private int len = 1;
        /**
         * Draft tokens asked for next: transformers' "heuristic" schedule of assisted decoding — two
         * more after a draft kept whole (up to prompt_lookup_num_tokens), one fewer (down to 1) after
         * one cut short, so a text the summary does not copy costs short passes.
         */
        private int draftLength;
        private int next;
        private boolean finished;
        private float[] scores;

        Row(T5Config config, IncrementalDecoder decoder, GenerationConfig s) {
            this.config = config;
            this.decoder = decoder;
            this.s = s;
            ScreenedLogits sc = decoder.screen();
            this.screen = sc != null && sc.outFeatures() == config.vocabSize() ? sc : null;
            this.approx = screen == null ? null : new float[config.vocabSize()];
            this.penalised = new int[1 + s.maxNewTokens()];
            this.draft = new int[s.promptLookupNumTokens()];
            this.draftLength = draft.length;
            this.inputs = new int[draft.length + 1][];
            this.seq = new int[1 + s.maxNewTokens()];
            this.seq[0] = config.decoderStartTokenId();
            this.next = seq[0];
        }

        boolean done() {
            return finished || len - 1 >= s.maxNewTokens();
        }

        /** One decoder pass: the next token and the drafts after it; keeps what the model confirms. */
        void pass(Drafter drafter) {
            // A draft past max_new_tokens − 1 could never be kept: each kept draft is followed by a token of the model's.
            int room = Math.min(draftLength, s.maxNewTokens() - (len - 1) - 1);
            int d = room > 0 ? drafter.draft(seq, len, room, draft) : 0;
            int start = decoder.length();
            int[] in = inputs[d] != null ? inputs[d] : (inputs[d] = new int[d + 1]);
            in[0] = next;
            System.arraycopy(draft, 0, in, 1, d);
            Tensor hidden = (d == 0 ? decoder.stepHidden(in) : decoder.stepHiddenPositions(in)).contiguous();
            int used = 0;
            for (int j = 0; j <= d; j++) {
                int token = choose(hidden, j);
                seq[len++] = token;
                used = j + 1;
                if (token == config.eosTokenId()) {
                    finished = true;
                    break;
                }
                if (done() || j == d || token != draft[j]) break;
            }
            if (used < d + 1) decoder.rewind(start + used);
            if (d > 0 && !done()) {
                draftLength = used == d + 1 ? Math.min(draft.length, draftLength + 2) : Math.max(1, draftLength - 1);
            }
            next = seq[len - 1];
        }

        /** The greedy token after position j of the pass, exactly as a plain greedy step chooses it. */
        private int choose(Tensor hidden, int j) {
            int step = len - 1;
            int eos = config.eosTokenId();
            int vocab = config.vocabSize();
            if (screen != null) {
                int d = screen.inFeatures();
                float[] h = hidden.data();
                int hOff = hidden.offset() + j * d;
                screen.approximate(1, h, hOff, approx, 0);
                NextTokenScores.banEosBefore(approx, 0, step, s.minNewTokens(), eos);
                NextTokenScores.banRepeatedNgrams(approx, 0, seq, len, s.noRepeatNgramSize());
                int token = s.repetitionPenalty() == 1f ? screen.argmax(h, hOff, approx, 0)
                        : Generator.penalisedArgmax(screen, h, hOff, approx, 0, seq, len, s.repetitionPenalty(), penalised);
                if (token >= 0) return token;
            }
            Tensor row = hidden.dim(0) == 1 ? hidden : Ops.slice(hidden, 0, j, j + 1);
            scores = Generator.copyOut(decoder.logitsOf(row), scores);
            NextTokenScores.applyProcessors(scores, 0, seq, len, s, eos);
            return NextTokenScores.argmax(scores, 0, vocab);
        }
    }
}
