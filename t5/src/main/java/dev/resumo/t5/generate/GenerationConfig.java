package dev.resumo.t5.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to generate, with Hugging Face's names and meanings. Lengths count generated tokens only
 * (not the decoder start token). Errors name the HF field.
 *
 * @param maxNewTokens stop after this many tokens (the last may be cut mid-sentence)
 * @param minNewTokens forbid {@code </s>} before this many tokens
 * @param numBeams 1 = greedy or sampling; more = beam search (beam sampling with doSample)
 * @param lengthPenalty beam hypotheses are ranked by sum(log p) / length^lengthPenalty
 * @param earlyStopping beam search: when to stop (HF's early_stopping: true, false, "never")
 * @param noRepeatNgramSize if > 0, no n-gram of this size appears twice in an output
 * @param repetitionPenalty HF's repetition_penalty (CTRL's): the score of every token already in
 *     the output (decoder start token included) is divided by it where positive and multiplied by
 *     it where negative — logits for greedy and sampling, log-probabilities for beam search; 1 = off
 * @param numReturnSequences sequences returned per input: beam search's best hypotheses (≤ numBeams),
 *     or sampling's independent draws (numBeams 1: each input decoded that many times, at most
 *     {@link #MAX_NUM_BEAMS}); greedy decoding returns one
 * @param doSample sample from the (warped) distribution instead of taking the best; with numBeams
 *     > 1, beam sampling (each step's continuations drawn instead of the best ones taken)
 * @param temperature sampling: logits are divided by it
 * @param topK sampling: keep only the k most likely tokens (0 = all)
 * @param topP sampling: keep the smallest set of tokens whose probability reaches p (1 = all)
 * @param seed sampling: seed of the random generator, so a run can be repeated
 * @param promptLookupNumTokens greedy decoding: up to this many draft tokens copied from the input
 *     after the latest tokens' match there, checked by the model in one pass (HF's
 *     prompt_lookup_num_tokens); the same tokens as plain greedy decoding, fewer passes where the
 *     summary copies the text; 0 = off
 */
public record GenerationConfig(int maxNewTokens, int minNewTokens, int numBeams, float lengthPenalty,
                               EarlyStopping earlyStopping, int noRepeatNgramSize, float repetitionPenalty,
                               int numReturnSequences,
                               boolean doSample, float temperature, int topK, float topP, long seed,
                               int promptLookupNumTokens) {

    /** Most draft tokens a prompt lookup pass may check (past a few dozen, a rejected draft only costs). */
    public static final int MAX_PROMPT_LOOKUP_TOKENS = 128;

    /** Without prompt lookup decoding. */
    public GenerationConfig(int maxNewTokens, int minNewTokens, int numBeams, float lengthPenalty,
                            EarlyStopping earlyStopping, int noRepeatNgramSize, float repetitionPenalty,
                            int numReturnSequences, boolean doSample, float temperature, int topK, float topP, long seed) {
        this(maxNewTokens, minNewTokens, numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize, repetitionPenalty,
                numReturnSequences, doSample, temperature, topK, topP, seed, 0);
    }

    /** HF's early_stopping values. */
    public enum EarlyStopping {
        /** Stop a batch item as soon as it has num_beams finished hypotheses. */
        TRUE,
        /** Stop when no running beam can beat the worst finished one at its current length. */
        FALSE,
        /** Like FALSE but assumes running beams may still grow to max length (canonical beam search). */
        NEVER
    }

    /**
     * The largest max_new_tokens any path accepts (summarize, eval, train's evaluation, serve, batch all
     * build a GenerationConfig). Why 16384: a decode's self-attention cache is one Java array per layer
     * of rows × positions × heads·d_kv floats, int-indexed (at most 2^31 − 1 elements), and positions
     * reach 1 + max_new_tokens. With positions ≤ 2^14 + 1 there is room for rows × heads·d_kv up to
     * 2^17 − 8 (e.g. 170 rows of t5-base's 768, 64 beams × batch 2 of t5-large's 1024) before the
     * product nears 2^31; the token arrays (rows × (1 + max_new_tokens) ints) are far smaller. Larger
     * shapes are refused by the cache itself with a clear error rather than wrapped around. T5 was
     * trained on summaries of tens to hundreds of tokens, so 16384 costs no real use.
     */
    public static final int MAX_NEW_TOKENS_LIMIT = 1 << 14;

    /**
     * Widest beam search accepted. Beam search keeps 2 × num_beams candidates out of num_beams ×
     * vocabulary scores per step, so its time and memory grow with the width: 20,000 beams on a
     * 1,504-id model took 46 s for 8 tokens and 100,000 did not finish in two minutes, with no
     * sign of progress. Published summarization setups use 1-8 beams; 256 leaves wide searches
     * for experiments while a typo (an extra zero or two) gets an error instead of a stall.
     */
    public static final int MAX_NUM_BEAMS = 256;

    public GenerationConfig {
        if (maxNewTokens < 1 || maxNewTokens > MAX_NEW_TOKENS_LIMIT) {
            throw new IllegalArgumentException("max_new_tokens: must be in [1, " + MAX_NEW_TOKENS_LIMIT + "], got " + maxNewTokens);
        }
        if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
            throw new IllegalArgumentException("min_new_tokens: must be in [0, max_new_tokens=" + maxNewTokens + "], got " + minNewTokens);
        }
        if (numBeams < 1) throw new IllegalArgumentException("num_beams: must be ≥ 1, got " + numBeams);
        if (numBeams > MAX_NUM_BEAMS) {
            throw new IllegalArgumentException("num_beams: must be at most " + MAX_NUM_BEAMS + ", got " + numBeams);
        }
        if (!Float.isFinite(lengthPenalty)) throw new IllegalArgumentException("length_penalty: must be finite, got " + lengthPenalty);
        if (earlyStopping == null) throw new IllegalArgumentException("early_stopping: missing");
        if (noRepeatNgramSize < 0) throw new IllegalArgumentException("no_repeat_ngram_size: must be ≥ 0, got " + noRepeatNgramSize);
        if (!(repetitionPenalty > 0f) || !Float.isFinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetition_penalty: must be > 0 (1 = off), got " + repetitionPenalty);
        }
        checkReturnSequences(numReturnSequences, numBeams, doSample);
        if (!(temperature > 0f) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature: must be > 0, got " + temperature);
        }
        if (topK < 0) throw new IllegalArgumentException("top_k: must be ≥ 0 (0 = off), got " + topK);
        if (!(topP > 0f && topP <= 1f)) throw new IllegalArgumentException("top_p: must be in (0, 1], got " + topP);
        if (promptLookupNumTokens < 0 || promptLookupNumTokens > MAX_PROMPT_LOOKUP_TOKENS) {
            throw new IllegalArgumentException("prompt_lookup_num_tokens: must be in [0, " + MAX_PROMPT_LOOKUP_TOKENS
                    + "] (0 = off), got " + promptLookupNumTokens);
        }
        if (promptLookupNumTokens > 0 && (numBeams > 1 || doSample)) {
            throw new IllegalArgumentException("prompt_lookup_num_tokens: works with greedy decoding only, but "
                    + (doSample ? "do_sample is on" : "num_beams is " + numBeams) + "; set it to 0 or use greedy decoding");
        }
    }

    /**
     * As transformers: beam search (sampled or not) returns at most num_beams of its hypotheses;
     * sampling with one beam decodes each input num_return_sequences times (rows, like beams, so
     * bounded by the same width); greedy decoding has one answer per input, so asking for more is
     * refused rather than returning copies of it.
     */
    private static void checkReturnSequences(int numReturnSequences, int numBeams, boolean doSample) {
        if (numReturnSequences < 1) {
            throw new IllegalArgumentException("num_return_sequences: must be ≥ 1, got " + numReturnSequences);
        }
        if (numBeams > 1 && numReturnSequences > numBeams) {
            throw new IllegalArgumentException("num_return_sequences: must be in [1, num_beams=" + numBeams + "], got "
                    + numReturnSequences);
        }
        if (numBeams == 1 && !doSample && numReturnSequences > 1) {
            throw new IllegalArgumentException("num_return_sequences: greedy decoding gives one sequence per input, got "
                    + numReturnSequences + "; use num_beams ≥ " + numReturnSequences + " or do_sample for more");
        }
        if (numReturnSequences > MAX_NUM_BEAMS) {
            throw new IllegalArgumentException("num_return_sequences: must be at most " + MAX_NUM_BEAMS + ", got "
                    + numReturnSequences);
        }
    }

    /** Greedy decoding up to 128 new tokens: lengths explicit, no silent 20-token cut. */
    public static GenerationConfig defaults() {
        return new GenerationConfig(128, 0, 1, 1.0f, EarlyStopping.FALSE, 0, 1.0f, 1, false, 1.0f, 50, 1.0f, 0L);
    }

    public static GenerationConfig greedy(int maxNewTokens) {
        return defaults().withMaxNewTokens(maxNewTokens);
    }

    public static GenerationConfig beam(int numBeams, int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0, numBeams, 1.0f, EarlyStopping.FALSE, 0, 1.0f, 1, false, 1.0f, 50, 1.0f, 0L);
    }

    public GenerationConfig withMaxNewTokens(int n) {
        return new GenerationConfig(n, Math.min(minNewTokens, n), numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize,
                repetitionPenalty, numReturnSequences, doSample, temperature, topK, topP, seed, promptLookupNumTokens);
    }

    public GenerationConfig withMinNewTokens(int n) {
        return new GenerationConfig(maxNewTokens, n, numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize,
                repetitionPenalty, numReturnSequences, doSample, temperature, topK, topP, seed, promptLookupNumTokens);
    }

    public GenerationConfig withBeams(int beams, float penalty, EarlyStopping stopping, int returnSequences) {
        return new GenerationConfig(maxNewTokens, minNewTokens, beams, penalty, stopping, noRepeatNgramSize,
                repetitionPenalty, returnSequences, doSample, temperature, topK, topP, seed, promptLookupNumTokens);
    }

    /** The same settings returning {@code n} sequences per input (see {@link #numReturnSequences()}). */
    public GenerationConfig withNumReturnSequences(int n) {
        return new GenerationConfig(maxNewTokens, minNewTokens, numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize,
                repetitionPenalty, n, doSample, temperature, topK, topP, seed, promptLookupNumTokens);
    }

    public GenerationConfig withNoRepeatNgramSize(int n) {
        return new GenerationConfig(maxNewTokens, minNewTokens, numBeams, lengthPenalty, earlyStopping, n,
                repetitionPenalty, numReturnSequences, doSample, temperature, topK, topP, seed, promptLookupNumTokens);
    }

    public GenerationConfig withRepetitionPenalty(float penalty) {
        return new GenerationConfig(maxNewTokens, minNewTokens, numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize,
                penalty, numReturnSequences, doSample, temperature, topK, topP, seed, promptLookupNumTokens);
    }

    public GenerationConfig withPromptLookup(int numTokens) {
        return new GenerationConfig(maxNewTokens, minNewTokens, numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize,
                repetitionPenalty, numReturnSequences, doSample, temperature, topK, topP, seed, numTokens);
    }

    public GenerationConfig withSampling(float temp, int k, float p, long rngSeed) {
        return new GenerationConfig(maxNewTokens, minNewTokens, numBeams, lengthPenalty, earlyStopping, noRepeatNgramSize,
                repetitionPenalty, numReturnSequences, true, temp, k, p, rngSeed, promptLookupNumTokens);
    }

    // ---------------------------------------------------------------- generation_config.json

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Settings from an HF {@code generation_config.json} over {@link #defaults()}; keys it does not
     * have keep the defaults. {@code max_length} (which counts the decoder start token) is used
     * only when {@code max_new_tokens} is absent.
     */
    public static GenerationConfig load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (line " + e.getLocation().getLineNr() + ": "
                    + dev.resumo.t5.JsonErrors.reason(e) + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            if (root == null || !root.isObject()) throw new IllegalArgumentException("expected a JSON object");
            GenerationConfig d = defaults();
            int maxNew = d.maxNewTokens;
            if (has(root, "max_new_tokens")) maxNew = integer(root, "max_new_tokens");
            else if (has(root, "max_length")) maxNew = integer(root, "max_length") - 1;
            int minNew = has(root, "min_new_tokens") ? integer(root, "min_new_tokens")
                    : has(root, "min_length") ? Math.max(0, integer(root, "min_length") - 1) : d.minNewTokens;
            return new GenerationConfig(maxNew, minNew,
                    has(root, "num_beams") ? integer(root, "num_beams") : d.numBeams,
                    has(root, "length_penalty") ? (float) number(root, "length_penalty") : d.lengthPenalty,
                    has(root, "early_stopping") ? earlyStopping(root.get("early_stopping")) : d.earlyStopping,
                    has(root, "no_repeat_ngram_size") ? integer(root, "no_repeat_ngram_size") : d.noRepeatNgramSize,
                    has(root, "repetition_penalty") ? (float) number(root, "repetition_penalty") : d.repetitionPenalty,
                    has(root, "num_return_sequences") ? integer(root, "num_return_sequences") : d.numReturnSequences,
                    has(root, "do_sample") ? bool(root, "do_sample") : d.doSample,
                    has(root, "temperature") ? (float) number(root, "temperature") : d.temperature,
                    has(root, "top_k") ? integer(root, "top_k") : d.topK,
                    has(root, "top_p") ? (float) number(root, "top_p") : d.topP,
                    d.seed,
                    has(root, "prompt_lookup_num_tokens") ? integer(root, "prompt_lookup_num_tokens") : d.promptLookupNumTokens);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /**
     * Settings of HF's GenerationConfig (transformers 5.24) that change what generate() outputs and
     * that Resumo does not implement, each with the values that mean "off" there; a
     * {@code generation_config.json} that sets one to anything else is generated from as if it were
     * off, so callers warn.
     */
    private static final Map<String, List<JsonNode>> NOT_IMPLEMENTED = notImplemented();

    private static Map<String, List<JsonNode>> notImplemented() {
        var off = new java.util.LinkedHashMap<String, List<JsonNode>>();
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        off.put("num_beam_groups", List.of(f.numberNode(1)));
        off.put("diversity_penalty", List.of(f.numberNode(0.0)));
        off.put("encoder_repetition_penalty", List.of(f.numberNode(1.0)));
        off.put("encoder_no_repeat_ngram_size", List.of(f.numberNode(0)));
        off.put("typical_p", List.of(f.numberNode(1.0)));
        off.put("epsilon_cutoff", List.of(f.numberNode(0.0)));
        off.put("eta_cutoff", List.of(f.numberNode(0.0)));
        off.put("renormalize_logits", List.of(f.booleanNode(false)));
        off.put("remove_invalid_values", List.of(f.booleanNode(false))); // InfNanRemoveLogitsProcessor
        off.put("token_healing", List.of(f.booleanNode(false)));
        off.put("guidance_scale", List.of(f.nullNode(), f.numberNode(1.0))); // generate() skips it at 1 as well
        for (String nullWhenOff : List.of("bad_words_ids", "force_words_ids", "forced_bos_token_id", "forced_eos_token_id",
                "suppress_tokens", "begin_suppress_tokens", "sequence_bias", "exponential_decay_length_penalty", "min_p",
                "top_h", "penalty_alpha", "constraints", "max_time", "stop_strings", "watermarking_config")) {
            off.put(nullWhenOff, List.of(f.nullNode()));
        }
        return java.util.Collections.unmodifiableMap(off);
    }

    /**
     * The output-changing settings of an HF {@code generation_config.json} that Resumo ignores
     * (as "name=value"), in the file's order; empty when it sets none. Numbers compare by value
     * (1 and 1.0 are the same), empty lists count as unset.
     */
    public static List<String> ignoredSettings(Path file) {
        JsonNode root = readQuietly(file);
        if (root == null) return List.of();
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            List<JsonNode> off = NOT_IMPLEMENTED.get(e.getKey());
            JsonNode v = e.getValue();
            if (off == null || v.isNull() || (v.isContainerNode() && v.isEmpty())) continue;
            if (off.stream().noneMatch(o -> o.isNumber() && v.isNumber() ? o.doubleValue() == v.doubleValue() : o.equals(v))) {
                out.add(e.getKey() + "=" + v);
            }
        }
        return out;
    }

    /**
     * {@link #ignoredSettings(Path)}, plus the token ids the file sets that differ from the model's
     * config.json: transformers' generate() takes eos_token_id (one id or a list of them) and
     * decoder_start_token_id from generation_config.json, Resumo from config.json, so such a file
     * stops or starts generation at another token there than here.
     */
    public static List<String> ignoredSettings(Path file, int modelEosTokenId, int modelDecoderStartTokenId) {
        List<String> out = new ArrayList<>(ignoredSettings(file));
        JsonNode root = readQuietly(file);
        if (root == null) return out;
        JsonNode eos = root.get("eos_token_id");
        boolean sameEos = eos == null || eos.isNull() || (eos.isIntegralNumber() && eos.longValue() == modelEosTokenId)
                || (eos.isArray() && eos.size() == 1 && eos.get(0).isIntegralNumber() && eos.get(0).longValue() == modelEosTokenId);
        if (!sameEos) out.add("eos_token_id=" + eos + " (config.json: " + modelEosTokenId + ")");
        JsonNode start = root.get("decoder_start_token_id");
        if (start != null && !start.isNull() && !(start.isIntegralNumber() && start.longValue() == modelDecoderStartTokenId)) {
            out.add("decoder_start_token_id=" + start + " (config.json: " + modelDecoderStartTokenId + ")");
        }
        return out;
    }

    /** The file's JSON object, or null when it cannot be read or is not an object (load() reports those). */
    private static JsonNode readQuietly(Path file) {
        try {
            JsonNode root = JSON.readTree(Files.readString(file));
            return root != null && root.isObject() ? root : null;
        } catch (IOException e) {
            return null;
        }
    }

    public static EarlyStopping earlyStopping(JsonNode n) {
        if (n.isBoolean()) return n.booleanValue() ? EarlyStopping.TRUE : EarlyStopping.FALSE;
        if (n.isTextual() && n.textValue().equals("never")) return EarlyStopping.NEVER;
        throw new IllegalArgumentException("early_stopping: expected true, false or \"never\", got " + n);
    }

    /** Parses a command-line value of early_stopping: true, false or never. */
    public static EarlyStopping earlyStopping(String s) {
        return switch (s) {
            case "true" -> EarlyStopping.TRUE;
            case "false" -> EarlyStopping.FALSE;
            case "never" -> EarlyStopping.NEVER;
            default -> throw new IllegalArgumentException("early_stopping: expected true, false or never, got \"" + s + "\"");
        };
    }

    private static boolean has(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n != null && !n.isNull();
    }

    private static int integer(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw new IllegalArgumentException(field + ": expected an integer, got " + n);
        return n.intValue();
    }

    private static double number(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (!n.isNumber()) throw new IllegalArgumentException(field + ": expected a number, got " + n);
        return n.doubleValue();
    }

    private static boolean bool(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (!n.isBoolean()) throw new IllegalArgumentException(field + ": expected true or false, got " + n);
        return n.booleanValue();
    }
}
