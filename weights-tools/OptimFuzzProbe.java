import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.engine.Tensor;
import dev.resumo.engine.optim.Adafactor;
import dev.resumo.engine.optim.AdafactorConfig;
import dev.resumo.engine.optim.AdamW;
import dev.resumo.engine.optim.AdamWConfig;
import dev.resumo.engine.optim.GradClip;
import dev.resumo.engine.optim.Optimizer;
import dev.resumo.train.Schedules;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java side of weights-tools/fuzz_optimizers.py: one case a JSON line in, one JSON line out.
 * Tensors travel as base64 of little-endian float32 (exact, NaN and infinities included). Run from
 * the repository root after building the jar:
 *
 *   java --add-modules jdk.incubator.vector -cp cli/target/resumo.jar weights-tools/OptimFuzzProbe.java
 *
 * In (kind "adafactor" | "adamw"): {"kind", "config": {...}, "params": [{"name", "shape", "data"}],
 *     "no_decay": [names], "steps": [{"lr": number or null, "grads": [data or null per param]}]}
 *   Out: {"steps": [{"params": {name: data}, "state": {"name.key": data}}]}
 * In (kind "clip"): {"max_norm", "grads": [data]}   Out: {"total": data (1 float), "grads": [data]}
 * In (kind "schedule"): {"name", "lr", "warmup", "total", "n"}   Out: {"lrs": [n doubles]}
 * An exception becomes {"error": "..."} (with the step it happened in) so the fuzzer reports it.
 */
public class OptimFuzzProbe {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (String line; (line = in.readLine()) != null; ) {
            JsonNode c = json.readTree(line);
            ObjectNode r = json.createObjectNode();
            try {
                switch (c.get("kind").asText()) {
                    case "adafactor", "adamw" -> optimize(c, r);
                    case "clip" -> clip(c, r);
                    case "schedule" -> schedule(c, r);
                    default -> throw new IllegalArgumentException("unknown kind " + c.get("kind"));
                }
            } catch (RuntimeException e) {
                r.put("error", e.toString());
            }
            out.println(json.writeValueAsString(r));
            out.flush();
        }
    }

    private static void optimize(JsonNode c, ObjectNode r) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (JsonNode p : c.get("params")) params.put(p.get("name").asText(), Tensor.of(floats(p.get("data")), ints(p.get("shape"))));
        Set<String> noDecay = new LinkedHashSet<>();
        c.get("no_decay").forEach(n -> noDecay.add(n.asText()));
        JsonNode k = c.get("config");
        Optimizer opt;
        if (c.get("kind").asText().equals("adafactor")) {
            opt = new Adafactor(params, new AdafactorConfig(k.get("lr").isNull() ? null : k.get("lr").asDouble(),
                    k.get("eps1").asDouble(), k.get("eps2").asDouble(), k.get("clip_threshold").asDouble(),
                    k.get("decay_rate").asDouble(), k.get("beta1").isNull() ? null : k.get("beta1").asDouble(),
                    k.get("weight_decay").asDouble(), k.get("scale_parameter").asBoolean(),
                    k.get("relative_step").asBoolean(), k.get("warmup_init").asBoolean()), noDecay);
        } else {
            opt = new AdamW(params, new AdamWConfig(k.get("lr").asDouble(), k.get("beta1").asDouble(),
                    k.get("beta2").asDouble(), k.get("eps").asDouble(), k.get("weight_decay").asDouble()), noDecay);
        }
        List<Tensor> order = new ArrayList<>(params.values());
        ArrayNode steps = r.putArray("steps");
        int s = 0;
        for (JsonNode step : c.get("steps")) {
            s++;
            try {
                if (!step.get("lr").isNull()) opt.setLearningRate(step.get("lr").asDouble());
                Map<Tensor, Tensor> grads = new IdentityHashMap<>();
                for (int i = 0; i < order.size(); i++) {
                    JsonNode g = step.get("grads").get(i);
                    if (!g.isNull()) grads.put(order.get(i), Tensor.of(floats(g), order.get(i).shape()));
                }
                opt.step(grads::get);
            } catch (RuntimeException e) {
                throw new RuntimeException("step " + s + ": " + e, e);
            }
            ObjectNode o = steps.addObject();
            ObjectNode ps = o.putObject("params");
            params.forEach((name, t) -> ps.put(name, encode(t.toArray())));
            ObjectNode st = o.putObject("state");
            opt.stateDict().forEach((key, t) -> st.put(key, encode(t.toArray())));
        }
    }

    private static void clip(JsonNode c, ObjectNode r) {
        List<Tensor> grads = new ArrayList<>();
        for (JsonNode g : c.get("grads")) {
            float[] d = floats(g);
            grads.add(Tensor.of(d, d.length));
        }
        float total = GradClip.clipByGlobalNorm(grads, c.get("max_norm").asDouble());
        r.put("total", encode(new float[] {total}));
        ArrayNode out = r.putArray("grads");
        for (Tensor g : grads) out.add(encode(g.toArray()));
    }

    private static void schedule(JsonNode c, ObjectNode r) {
        var sched = Schedules.of(c.get("name").asText(), c.get("lr").asDouble(), c.get("warmup").asLong(), c.get("total").asLong());
        ArrayNode lrs = r.putArray("lrs");
        for (long t = 0; t < c.get("n").asLong(); t++) lrs.add(sched.lr(t));
    }

    private static float[] floats(JsonNode b64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(b64.asText())).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    private static String encode(float[] f) {
        ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(f);
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }
}
