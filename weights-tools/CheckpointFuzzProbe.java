import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.CheckpointFormatException;
import dev.resumo.engine.io.Dtype;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.io.TorchCheckpoint;
import dev.resumo.t5.T5Checkpoint;
import dev.resumo.t5.T5Model;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * The Java side of weights-tools/fuzz_checkpoint_parity.py: what Resumo makes of one model file or
 * folder, one tab-separated request line in, one JSON line out. Run from the repository root after
 * building the jar:
 *
 *   java -cp cli/target/resumo.jar weights-tools/CheckpointFuzzProbe.java
 *
 * In:  KIND \t PATH [\t OUT \t DTYPE]   KIND: safetensors | torch | folder | resave | rewrite
 * Out: {"tensors": {name: [shape, sha256 of the float32 little-endian bytes]}}
 *      or {"error": "message", "type": "ExceptionClass"} for a refusal the CLI shows as one line
 *      (CheckpointFormatException, IllegalArgumentException, UncheckedIOException), or
 *      {"crash": "..."} for anything else (a bug: NPE, index out of bounds, OutOfMemoryError).
 * "resave" loads a folder as T5Checkpoint.load does and writes it back with T5Checkpoint.save
 * into the folder OUT as DTYPE (F32 or BF16), then reports the loaded parameters; "rewrite" reads a
 * safetensors file and writes it to the file OUT with Safetensors.write as DTYPE (F32, BF16, F16).
 */
public class CheckpointFuzzProbe {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t");
            out.println(answer(f));
        }
    }

    private static String answer(String[] f) {
        try {
            Map<String, Tensor> tensors = switch (f[0]) {
                case "safetensors" -> Safetensors.readAll(Path.of(f[1]));
                case "torch" -> TorchCheckpoint.load(Path.of(f[1]));
                case "folder" -> T5Checkpoint.load(Path.of(f[1])).parameters();
                case "rewrite" -> {
                    Map<String, Tensor> read = Safetensors.readAll(Path.of(f[1]));
                    Safetensors.write(Path.of(f[2]), read, Dtype.valueOf(f[3]), Map.of("format", "pt", "note", "ünï\"\n"));
                    yield read;
                }
                case "resave" -> {
                    T5Model model = T5Checkpoint.load(Path.of(f[1]));
                    T5Checkpoint.save(model, Path.of(f[2]), Dtype.valueOf(f[3]));
                    yield model.parameters();
                }
                default -> throw new IllegalStateException("unknown kind " + f[0]);
            };
            StringBuilder sb = new StringBuilder("{\"tensors\":{");
            boolean first = true;
            for (var e : tensors.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                sb.append(quote(e.getKey())).append(":[").append(java.util.Arrays.toString(e.getValue().shape()))
                        .append(',').append(quote(sha(e.getValue().toArray()))).append(']');
            }
            return sb.append("}}").toString();
        } catch (CheckpointFormatException | IllegalArgumentException | UncheckedIOException e) {
            return "{\"error\":" + quote(String.valueOf(e.getMessage())) + ",\"type\":" + quote(e.getClass().getSimpleName()) + "}";
        } catch (Throwable t) {
            java.io.StringWriter w = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(w));
            String trace = w.toString();
            return "{\"crash\":" + quote(trace.substring(0, Math.min(600, trace.length()))) + "}";
        }
    }

    private static String sha(float[] values) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        // NaNs hash as one canonical NaN: torch's own f16->f32 conversion does not keep payloads
        // consistently (fuzz_checkpoint_parity.py sha()), so only "is NaN" is compared.
        for (float v : values) b.putInt(Float.floatToIntBits(v));
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
