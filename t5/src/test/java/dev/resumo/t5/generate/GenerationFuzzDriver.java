package dev.resumo.t5.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Java side of weights-tools/fuzz_generation_parity.py: one JVM runs every case of a JSON file
 * (a JVM per case would spend the fuzz on start-up and JIT warm-up). Not a test; lives in test scope
 * so the main jar does not carry it.
 *
 * <p>Input: a JSON array of {"model": folder, "ids": [[...]], "mask": [[...]], "generate": {HF
 * generate() keyword arguments}}; the model's config.json holds the eos id the case uses. Output
 * (the second argument): a JSON array, per case {"ids": [[...]], "scores": [...]} or {"error": text}.
 * A case with "decoder_ids": [...] (one row) gets the teacher-forced {"logits": [...]} instead.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp cli/target/resumo.jar:CLASSES \
 *     dev.resumo.t5.generate.GenerationFuzzDriver cases.json out.json</pre>
 */
public final class GenerationFuzzDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GenerationFuzzDriver() {}

    public static void main(String[] args) throws Exception {
        JsonNode cases = JSON.readTree(Files.readString(Path.of(args[0])));
        Map<String, T5Model> models = new HashMap<>();
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode c : cases) {
            ObjectNode res = out.addObject();
            try {
                T5Model model = models.computeIfAbsent(c.get("model").textValue(), d -> load(Path.of(d)));
                JsonNode ids = c.get("ids"), mask = c.get("mask");
                int batch = ids.size(), length = ids.get(0).size();
                int[] flatIds = new int[batch * length], flatMask = new int[batch * length];
                for (int r = 0; r < batch; r++) {
                    for (int i = 0; i < length; i++) {
                        flatIds[r * length + i] = ids.get(r).get(i).intValue();
                        flatMask[r * length + i] = mask.get(r).get(i).intValue();
                    }
                }
                if (c.has("decoder_ids")) { // teacher-forced logits instead (diagnosis: one row)
                    JsonNode dec = c.get("decoder_ids");
                    int[] d = new int[dec.size()];
                    for (int i = 0; i < d.length; i++) d[i] = dec.get(i).intValue();
                    var enc = model.encode(flatIds, flatMask, batch, length, dev.resumo.t5.Dropout.OFF);
                    float[] logits = model.logits(model.decode(d, 1, d.length, enc, flatMask, dev.resumo.t5.Dropout.OFF))
                            .contiguous().toArray();
                    ArrayNode l = res.putArray("logits");
                    for (float f : logits) l.add(f);
                    continue;
                }
                GenerationConfig settings = TransformersGenerateParityTest.settings(c.get("generate"))
                        .withPromptLookup(c.get("generate").path("prompt_lookup_num_tokens").asInt(0));
                Generated got = Generator.generate(model, flatIds, flatMask, batch, length, settings);
                ArrayNode seqs = res.putArray("ids");
                for (int[] s : got.sequences()) {
                    ArrayNode row = seqs.addArray();
                    for (int t : s) row.add(t);
                }
                ArrayNode scores = res.putArray("scores");
                for (float f : got.sequenceScores()) scores.add(f);
            } catch (RuntimeException e) {
                res.put("error", e.toString());
            }
        }
        Files.writeString(Path.of(args[1]), JSON.writeValueAsString(out));
    }

    private static T5Model load(Path dir) {
        return T5Checkpoint.load(dir);
    }
}
