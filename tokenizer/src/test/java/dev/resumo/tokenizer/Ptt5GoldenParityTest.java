package dev.resumo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PTT5 vocabulary against ../shared/golden/tokenizer_ptt5.jsonl (sentencepiece 0.2 and
 * transformers' T5Tokenizer, see make_golden.py). Tolerance: none; ids and text must be identical.
 */
class Ptt5GoldenParityTest {
    @Test
    void everyGoldenRowMatchesSentencePieceAndHuggingFace() throws Exception {
        Path golden = SharedFiles.require("golden/tokenizer_ptt5.jsonl");
        T5Tokenizer tok = SharedFiles.ptt5();
        ObjectMapper json = new ObjectMapper();
        int rows = 0, spmOk = 0, hfOk = 0, decodedOk = 0;
        List<String> failures = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(golden, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) continue;
                JsonNode row = json.readTree(line);
                String text = row.get("text").asText();
                int[] spm = ints(row.get("spm_ids"));
                int[] hf = ints(row.get("hf_ids"));
                String decoded = row.get("hf_decoded").asText();
                rows++;
                int[] gotSpm = tok.sentencePiece().encode(text);
                int[] gotHf = tok.encode(text);
                String gotDecoded = tok.decode(hf);
                if (java.util.Arrays.equals(spm, gotSpm)) spmOk++; else failures.add("spm row " + rows + ": " + abbreviate(text));
                if (java.util.Arrays.equals(hf, gotHf)) hfOk++; else failures.add("hf row " + rows + ": " + abbreviate(text));
                if (decoded.equals(gotDecoded)) decodedOk++; else failures.add("decode row " + rows + ": " + abbreviate(text));
            }
        }
        System.out.printf("PTT5 golden parity: %d rows; spm_ids %d/%d, hf_ids %d/%d, hf_decoded %d/%d%n",
                rows, spmOk, rows, hfOk, rows, decodedOk, rows);
        assertEquals(214, rows, "golden file should hold 214 rows");
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())));
    }

    @Test
    void t5ConstantsOfThePtt5Vocabulary() {
        T5Tokenizer tok = SharedFiles.ptt5();
        assertEquals(32100, tok.vocabSize());
        assertEquals(0, tok.padId());
        assertEquals(1, tok.eosId());
        assertEquals(32099, tok.tokenId("<extra_id_0>"));
        assertEquals(32000, tok.tokenId("<extra_id_99>"));
        assertEquals(List.of("</s>"), tok.pieces(tok.encode("")));
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
