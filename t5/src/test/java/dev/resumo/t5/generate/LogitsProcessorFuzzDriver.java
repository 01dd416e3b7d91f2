package dev.resumo.t5.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java side of weights-tools/fuzz_logits_processors.py: runs score rows through the logits
 * processors and sampling warpers generation applies (NextTokenScores.applyProcessors, then
 * warpForSampling, then the probabilities sample() draws from), all cases in one JVM. Not a test;
 * lives in test scope so the main jar does not carry it. {@link LogitsProcessorRegressionTest}
 * reads the same case format.
 *
 * <p>Input: a JSON array of cases, each {"scores": [...], "seq": [decoder start, generated...],
 * "eos": id, "repetition_penalty": x, "min_new_tokens": n, "no_repeat_ngram_size": n,
 * "do_sample": bool, "temperature": x, "top_k": n, "top_p": x}; floats are numbers or the strings
 * "inf", "-inf", "nan". Output: per case {"processed": scores after the processors, "warped":
 * after the warpers, "probs": what sample() draws from, "undefined": why there is nothing to draw
 * from, or null} (all but the first only with do_sample), or
 * {"error": text}.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp cli/target/resumo.jar:CLASSES \
 *     dev.resumo.t5.generate.LogitsProcessorFuzzDriver cases.json out.json</pre>
 */
public final class LogitsProcessorFuzzDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogitsProcessorFuzzDriver() {}

    public static void main(String[] args) throws Exception {
        JsonNode cases = JSON.readTree(Files.readString(Path.of(args[0])));
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode c : cases) {
            ObjectNode res = out.addObject();
            try {
                Result r = run(c);
                put(res.putArray("processed"), r.processed());
                if (r.warped() != null) {
                    put(res.putArray("warped"), r.warped());
                    put(res.putArray("probs"), r.probs());
                    res.put("undefined", r.undefined());
                }
            } catch (RuntimeException e) {
                res.put("error", String.valueOf(e));
            }
        }
        Files.writeString(Path.of(args[1]), JSON.writeValueAsString(out));
    }

    /**
     * What generation makes of one case's row; warped, probs and undefined are null without
     * do_sample; undefined: why the warped row is no distribution (Generator stops there), or null.
     */
    record Result(float[] processed, float[] warped, float[] probs, String undefined) {}

    static Result run(JsonNode c) {
        float[] row = floats(c.get("scores"));
        int n = row.length;
        int[] seq = ints(c.get("seq"));
        GenerationConfig s = settings(c, 0L);
        boolean sample = s.doSample();
        // The row sits at an offset inside a larger array, as one row of a batch does.
        int off = 5;
        float[] batch = new float[off + n + 3];
        java.util.Arrays.fill(batch, 123f);
        System.arraycopy(row, 0, batch, off, n);
        NextTokenScores.applyProcessors(batch, off, seq, seq.length, s, c.get("eos").intValue());
        float[] processed = java.util.Arrays.copyOfRange(batch, off, off + n);
        if (!sample) return new Result(processed, null, null, null);
        NextTokenScores.warpForSampling(batch, off, n, s.temperature(), s.topK(), s.topP());
        float[] warped = java.util.Arrays.copyOfRange(batch, off, off + n);
        return new Result(processed, warped, NextTokenScores.softmax(batch, off, n),
                NextTokenScores.undefinedDistribution(batch, off, n));
    }

    /** A case's settings as a one-beam GenerationConfig (absent ones at their "off" value, top_k 0 included). */
    static GenerationConfig settings(JsonNode c, long seed) {
        int minNew = c.path("min_new_tokens").asInt(0);
        return new GenerationConfig(Math.max(64, minNew), minNew, 1, 1f, GenerationConfig.EarlyStopping.FALSE,
                c.path("no_repeat_ngram_size").asInt(0), (float) c.path("repetition_penalty").asDouble(1.0), 1,
                c.path("do_sample").asBoolean(false), (float) c.path("temperature").asDouble(1.0), c.path("top_k").asInt(0),
                (float) c.path("top_p").asDouble(1.0), seed);
    }

    static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = a.get(i);
            out[i] = v.isTextual() ? switch (v.textValue()) {
                case "inf" -> Float.POSITIVE_INFINITY;
                case "-inf" -> Float.NEGATIVE_INFINITY;
                case "nan" -> Float.NaN;
                default -> throw new IllegalArgumentException("not a float: " + v);
            } : v.floatValue();
        }
        return out;
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).intValue();
        return out;
    }

    private static void put(ArrayNode to, float[] values) {
        for (float f : values) {
            if (Float.isNaN(f)) to.add("nan");
            else if (Float.isInfinite(f)) to.add(f > 0 ? "inf" : "-inf");
            else to.add((double) f);
        }
    }
}
