import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resumo.tokenizer.T5Tokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The Java side of weights-tools/fuzz_tokenizer_parity.py: everything Resumo's tokenizer says about
 * one input, one JSON line in, one JSON line out, flushed per line so the fuzzer can keep this
 * process open while it minimizes a mismatch. Run from the repository root after building the jar:
 *
 *   java --add-modules jdk.incubator.vector -cp cli/target/resumo.jar weights-tools/TokenizerFuzzProbe.java SPIECE
 *
 * In:  {"text": "..."}  -> spm_ids, spm_pieces, spm_decoded, spm_normalized, hf_ids, hf_ids_noeos, pieces, hf_decoded
 *                       hf_truncated (encodeTruncated to 1 + length % 12, </s> kept last)
 *      {"ids": [...]}   -> spm_decoded, hf_decoded (decoding of arbitrary id sequences)
 * A Java exception becomes {"error": "..."} so the fuzzer reports it as a mismatch instead of dying.
 */
public class TokenizerFuzzProbe {
    public static void main(String[] args) throws Exception {
        T5Tokenizer tok = T5Tokenizer.load(Path.of(args[0]));
        ObjectMapper json = new ObjectMapper();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (String line; (line = in.readLine()) != null; ) {
            JsonNode row = json.readTree(line);
            ObjectNode r = json.createObjectNode();
            try {
                if (row.has("text")) describeText(tok, row.get("text").asText(), r);
                else describeIds(tok, ints(row.get("ids")), r);
            } catch (RuntimeException e) {
                r.removeAll();
                r.put("error", e.toString());
            }
            out.println(json.writeValueAsString(r));
            out.flush();
        }
    }

    private static void describeText(T5Tokenizer tok, String text, ObjectNode r) {
        int[] spm = tok.sentencePiece().encode(text);
        put(r, "spm_ids", spm);
        r.putPOJO("spm_pieces", tok.pieces(spm));
        r.put("spm_decoded", tok.sentencePiece().decode(spm));
        r.put("spm_normalized", tok.sentencePiece().normalize(text));
        int[] hf = tok.encode(text);
        put(r, "hf_ids", hf);
        put(r, "hf_ids_noeos", tok.encode(text, false));
        r.putPOJO("pieces", tok.pieces(hf));
        r.put("hf_decoded", tok.decode(hf));
        // Truncation as encodeBatch does it for training rows; the length varies with the text.
        put(r, "hf_truncated", tok.encodeTruncated(text, 1 + text.length() % 12, true));
    }

    /** Each decoder on its own: SentencePiece refuses ids past its pieces (the extra ids), T5 does not. */
    private static void describeIds(T5Tokenizer tok, int[] ids, ObjectNode r) {
        try {
            r.put("spm_decoded", tok.sentencePiece().decode(ids));
        } catch (RuntimeException e) {
            r.put("spm_decoded", "error");
        }
        r.put("hf_decoded", tok.decode(ids));
    }

    private static void put(ObjectNode r, String name, int[] ids) {
        var a = r.putArray(name);
        for (int id : ids) a.add(id);
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }
}
