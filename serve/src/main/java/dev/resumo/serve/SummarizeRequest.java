package dev.resumo.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.resumo.t5.generate.GenerationConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed POST /v1/summarize body: {@code text} or {@code texts}, and generation settings in
 * the snake_case names of the {@code resumo summarize} flags, bounded by the server's maxima.
 * Every problem is a 400 naming the field.
 *
 * @param single whether the body used {@code text} (one string) rather than {@code texts}
 */
public record SummarizeRequest(List<String> texts, boolean single, GenerationConfig settings) {
    /** Every field a body may have; anything else is refused so that a typo is not silently ignored. */
    public static final Set<String> FIELDS = Set.of("text", "texts", "max_new_tokens", "min_new_tokens", "num_beams",
            "length_penalty", "early_stopping", "no_repeat_ngram_size", "repetition_penalty", "do_sample", "temperature", "top_k", "top_p", "seed",
            "prompt_lookup_num_tokens", "num_return_sequences");

    // A field given twice would otherwise keep its last value and drop the first without a word.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public static SummarizeRequest parse(byte[] body, GenerationConfig defaults, ServeConfig limits) {
        if (wideEncoding(body)) {
            throw new ApiException(400, "body", "not UTF-8: this body is UTF-16 or UTF-32; encode it as UTF-8 (RFC 8259 §8.1)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    && e.getProcessor() instanceof JsonParser p) {
                String name = currentName(p);
                throw new ApiException(400, name, "given twice; give each field once");
            }
            // Jackson's own limits (nesting depth, number length, ...) throw without a location.
            var at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            String why = e.getOriginalMessage() == null ? e.getClass().getSimpleName()
                    : JsonErrorText.clean(e.getOriginalMessage().lines().findFirst().orElse(""));
            throw new ApiException(400, "body", "not valid JSON" + where + ": " + why);
        } catch (IOException e) {
            throw new ApiException(400, "body", "unreadable: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new ApiException(400, "body", "expected a JSON object like {\"text\": \"...\"}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new ApiException(400, f, "unknown field; accepted: " + String.join(", ", FIELDS.stream().sorted().toList()));
        }
        boolean hasText = present(root, "text");
        boolean hasTexts = present(root, "texts");
        if (hasText == hasTexts) throw new ApiException(400, "text", "give exactly one of \"text\" (a string) and \"texts\" (an array of strings)");
        List<String> texts = new ArrayList<>();
        if (hasText) {
            texts.add(text(root.get("text"), "text"));
        } else {
            JsonNode arr = root.get("texts");
            if (!arr.isArray()) throw new ApiException(400, "texts", "expected an array of strings, got " + kind(arr));
            if (arr.isEmpty()) throw new ApiException(400, "texts", "must not be empty");
            if (arr.size() > limits.textsPerRequest()) {
                String why = limits.maxQueue() < limits.maxTexts() ? " (the server queues at most " + limits.maxQueue()
                        + " texts)" : "";
                throw new ApiException(400, "texts", "at most " + limits.textsPerRequest() + " texts per request" + why
                        + ", got " + arr.size());
            }
            for (int i = 0; i < arr.size(); i++) texts.add(text(arr.get(i), "texts[" + i + "]"));
        }
        return new SummarizeRequest(List.copyOf(texts), hasText, settings(root, defaults, limits));
    }

    private static GenerationConfig settings(JsonNode root, GenerationConfig d, ServeConfig limits) {
        // The model's own settings fill in what a request leaves out, but never past the operator's
        // limits: a model saying max_new_tokens 128 under --max-new-tokens-limit 32 generated 128
        // tokens for every request that left the field out, and its num_beams 4 ran 4 beams under
        // --max-beams-limit 1, while a request asking for as much was refused.
        int maxNew = integer(root, "max_new_tokens", Math.min(d.maxNewTokens(), limits.maxNewTokensLimit()), 1,
                limits.maxNewTokensLimit());
        int minNew = integer(root, "min_new_tokens", Math.min(d.minNewTokens(), maxNew), 0, maxNew);
        int beams = integer(root, "num_beams", Math.min(d.numBeams(), limits.maxBeamsLimit()), 1, limits.maxBeamsLimit());
        float lengthPenalty = (float) number(root, "length_penalty", d.lengthPenalty(), -10, 10);
        GenerationConfig.EarlyStopping stopping = earlyStopping(root, d.earlyStopping());
        int noRepeat = integer(root, "no_repeat_ngram_size", d.noRepeatNgramSize(), 0, 64);
        float repetitionPenalty = (float) number(root, "repetition_penalty", d.repetitionPenalty(), 0.01, 100);
        boolean sample = bool(root, "do_sample", d.doSample());
        float temperature = (float) number(root, "temperature", d.temperature(), 1e-3, 100);
        int topK = integer(root, "top_k", d.topK(), 0, 1_000_000);
        double p = number(root, "top_p", d.topP(), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        if (!(p > 0 && p <= 1)) throw new ApiException(400, "top_p", "must be in (0, 1], got " + p);
        float topP = (float) p;
        long seed = longInteger(root, "seed", d.seed());
        if (!sample) {
            // Sampling knobs do not change a greedy or beam summary: reset them so that such requests
            // share batches with requests that left them out.
            temperature = d.temperature();
            topK = d.topK();
            topP = d.topP();
            seed = d.seed();
        }
        if (beams == 1) {
            // Both only steer beam search: reset for greedy and sampling, as the sampling knobs above.
            lengthPenalty = d.lengthPenalty();
            stopping = d.earlyStopping();
        }
        // Greedy only: a request for beams or sampling leaves the server's default off rather than
        // failing; one that asks for both is refused by GenerationConfig, naming the field.
        int lookup = integer(root, "prompt_lookup_num_tokens", sample || beams > 1 ? 0 : d.promptLookupNumTokens(), 0,
                GenerationConfig.MAX_PROMPT_LOOKUP_TOKENS);
        // Like num_beams, it multiplies the rows each text decodes, so the operator's beam limit bounds
        // it too. Always 1 unless asked: a model's own num_return_sequences does not change the
        // answer's shape (as in `resumo summarize`).
        int returnSequences = integer(root, "num_return_sequences", 1, 1, limits.maxBeamsLimit());
        try {
            return new GenerationConfig(maxNew, minNew, beams, lengthPenalty, stopping, noRepeat, repetitionPenalty,
                    returnSequences, sample, temperature, topK, topP, seed, lookup);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            int colon = msg.indexOf(':');
            throw new ApiException(400, colon > 0 ? msg.substring(0, colon) : "body", colon > 0 ? msg.substring(colon + 1).trim() : msg);
        }
    }

    /**
     * Whether the body is UTF-16 or UTF-32 (a byte-order mark, or a zero byte among the first two,
     * which UTF-8 JSON never has). Jackson detects those and reads them, so such a body was served
     * though the API takes UTF-8 only and the same body declared as charset=utf-16 is refused 415.
     */
    static boolean wideEncoding(byte[] body) {
        if (body.length < 2) return false;
        int b0 = body[0] & 0xFF;
        int b1 = body[1] & 0xFF;
        return b0 == 0 || b1 == 0 || (b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE);
    }

    private static String currentName(JsonParser p) {
        try {
            return p.currentName();
        } catch (IOException e) {
            return "body";
        }
    }

    private static boolean present(JsonNode root, String f) {
        return root.has(f) && !root.get(f).isNull();
    }

    private static String text(JsonNode n, String field) {
        if (!n.isTextual()) throw new ApiException(400, field, "expected a string, got " + kind(n));
        if (dev.resumo.t5.BlankText.isBlank(n.textValue())) throw new ApiException(400, field, "must not be blank");
        int at = unpairedSurrogate(n.textValue());
        if (at >= 0) {
            // A JSON escape (backslash, u, four hex digits) can spell half a character, which no UTF-8 text holds: the same
            // half sent as raw bytes is refused as invalid UTF-8, and the tokenizer read it as an
            // unknown piece and summarized it like any text.
            throw new ApiException(400, field, String.format(java.util.Locale.ROOT,
                    "has an unpaired surrogate \\u%04x at character %d; send valid Unicode text (RFC 8259 §8.2)",
                    (int) n.textValue().charAt(at), at));
        }
        return n.textValue();
    }

    /** The index of the first surrogate char that is not half of a pair, or -1. */
    static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static int integer(JsonNode root, String f, int dflt, int min, int max) {
        if (!present(root, f)) return dflt;
        BigDecimal v = integralValue(root.get(f), f);
        if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new ApiException(400, f, "must be in [" + min + ", " + max + "], got " + v.toPlainString());
        }
        return v.intValueExact();
    }

    private static long longInteger(JsonNode root, String f, long dflt) {
        if (!present(root, f)) return dflt;
        BigDecimal v = integralValue(root.get(f), f);
        if (v.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0 || v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new ApiException(400, f, "must be in [" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "], got " + v.toPlainString());
        }
        return v.longValueExact();
    }

    /**
     * An integer field's value. 64.0 and 1e2 are taken as 64 and 100: JSON has one number type and
     * many clients (Python floats, spreadsheets) write whole numbers that way; 1.5 is refused.
     */
    private static BigDecimal integralValue(JsonNode n, String f) {
        if (!n.isNumber()) throw new ApiException(400, f, "expected an integer, got " + kind(n));
        if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue())) throw new ApiException(400, f, "out of range, got " + n);
        BigDecimal v = n.isIntegralNumber() ? new BigDecimal(n.bigIntegerValue()) : n.decimalValue();
        if (v.signum() != 0 && v.stripTrailingZeros().scale() > 0) throw new ApiException(400, f, "expected an integer, got " + kind(n));
        return v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
    }

    private static double number(JsonNode root, String f, double dflt, double min, double max) {
        if (!present(root, f)) return dflt;
        JsonNode n = root.get(f);
        if (!n.isNumber()) throw new ApiException(400, f, "expected a number, got " + kind(n));
        double v = n.doubleValue();
        if (!(v >= min && v <= max)) throw new ApiException(400, f, "must be in [" + min + ", " + max + "], got " + v);
        return v;
    }

    /** early_stopping as generation_config.json writes it: true, false or "never". */
    private static GenerationConfig.EarlyStopping earlyStopping(JsonNode root, GenerationConfig.EarlyStopping dflt) {
        if (!present(root, "early_stopping")) return dflt;
        JsonNode n = root.get("early_stopping");
        try {
            return GenerationConfig.earlyStopping(n);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "early_stopping", "expected true, false or \"never\", got " + (n.isTextual() ? n.toString() : kind(n)));
        }
    }

    private static boolean bool(JsonNode root, String f, boolean dflt) {
        if (!present(root, f)) return dflt;
        JsonNode n = root.get(f);
        if (!n.isBoolean()) throw new ApiException(400, f, "expected true or false, got " + kind(n));
        return n.booleanValue();
    }

    private static final Map<com.fasterxml.jackson.databind.node.JsonNodeType, String> KINDS = Map.of(
            com.fasterxml.jackson.databind.node.JsonNodeType.STRING, "a string",
            com.fasterxml.jackson.databind.node.JsonNodeType.NUMBER, "a number",
            com.fasterxml.jackson.databind.node.JsonNodeType.BOOLEAN, "a boolean",
            com.fasterxml.jackson.databind.node.JsonNodeType.ARRAY, "an array",
            com.fasterxml.jackson.databind.node.JsonNodeType.OBJECT, "an object",
            com.fasterxml.jackson.databind.node.JsonNodeType.NULL, "null");

    private static String kind(JsonNode n) {
        String k = KINDS.getOrDefault(n.getNodeType(), n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        return n.isNumber() ? k + " (" + n + ")" : k;
    }
}
