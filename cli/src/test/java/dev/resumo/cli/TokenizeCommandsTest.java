package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resumo.tokenizer.T5Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `resumo tokenize` and `resumo detokenize` end to end, with the tokenizer tests' small model. */
class TokenizeCommandsTest {
    @TempDir
    Path dir;
    private Path model;
    private final ObjectMapper json = new ObjectMapper();
    private String stdout;
    private String stderr;

    @BeforeEach
    void findModel() {
        model = SmallSpieceModel.path();
    }

    private int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void tokenizeTextWritesIdsAndPieces() throws Exception {
        assertEquals(0, run("tokenize", "--tokenizer", model.toString(), "--text", "o presidente <extra_id_0>"));
        JsonNode row = json.readTree(stdout);
        T5Tokenizer tok = T5Tokenizer.load(model);
        int[] want = tok.encode("o presidente <extra_id_0>");
        assertEquals(want.length, row.get("ids").size());
        for (int i = 0; i < want.length; i++) assertEquals(want[i], row.get("ids").get(i).asInt());
        assertEquals(tok.pieces(want), json.convertValue(row.get("pieces"), List.class));
        assertEquals("</s>", row.get("pieces").get(want.length - 1).asText());

        assertEquals(0, run("tokenize", "--tokenizer", model.toString(), "--text", "", "--no-eos"));
        assertEquals("{\"ids\":[],\"pieces\":[]}", stdout.strip());
    }

    @Test
    void tokenizeThenDetokenizeAFileRoundTrips() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "{\"body\": \"o governo disse não\"}\n\n{\"body\": \"\"}\n{\"body\": \"a cidade, ação!\"}\n");
        Path ids = dir.resolve("ids.jsonl");
        assertEquals(0, run("tokenize", "--tokenizer", model.toString(), "--input", in.toString(), "--field", "body", "--output", ids.toString()));
        List<String> lines = Files.readAllLines(ids);
        assertEquals(3, lines.size());
        assertEquals("[1]", json.readTree(lines.get(1)).get("ids").toString());
        Path text = dir.resolve("text.jsonl");
        assertEquals(0, run("detokenize", "--tokenizer", model.toString(), "--input", ids.toString(), "--output", text.toString()));
        List<String> back = Files.readAllLines(text);
        assertEquals("o governo disse não", json.readTree(back.get(0)).get("text").asText());
        assertEquals("", json.readTree(back.get(1)).get("text").asText());
        assertEquals("a cidade, ação!", json.readTree(back.get(2)).get("text").asText());
    }

    /**
     * Bytes that are not UTF-8 in --text reach the JVM as U+FFFD, which the tokenizer dropped without
     * a word (`--text $'caf\xe9'` gave "caf"); refused as the same bytes in --input are. Summarize too.
     */
    @Test
    void invalidUtf8InTextIsRefusedOrReplacedOnRequest() throws Exception {
        assertEquals(2, run("tokenize", "--tokenizer", model.toString(), "--text", "caf\uFFFD ok"));
        assertEquals("resumo tokenize: --text is not valid UTF-8 (character 4 is a byte that is not UTF-8;"
                + " convert the text to UTF-8, e.g. with iconv -f latin1 -t utf-8)\n", stderr);
        assertEquals("", stdout);
        assertEquals(0, run("tokenize", "--tokenizer", model.toString(), "--text", "caf\uFFFD ok", "--replace-invalid"), stderr);

        assertEquals(2, run("summarize", "--model", "nowhere", "--text", "caf\uFFFD"));
        assertTrue(stderr.startsWith("resumo summarize: --text is not valid UTF-8"), stderr);
    }

    @Test
    void invalidUtf8IsReportedWithFileAndLineOrReplacedOnRequest() throws Exception {
        Path in = dir.resolve("bad.jsonl");
        byte[] good = "{\"text\": \"ok\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 't', 'e', 'x', 't', '"', ':', ' ', '"', 'a', (byte) 0xC3, '(', '"', '}', '\n'};
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(good);
        file.write(bad);
        Files.write(in, file.toByteArray());
        assertEquals(2, run("tokenize", "--tokenizer", model.toString(), "--input", in.toString()));
        // The dataset readers' words (Lines): the byte, its 1-based place in the line, and the fix.
        assertTrue(stderr.contains(in + " line 2: invalid UTF-8: byte 0xC3 at byte 12 of the line; if the file is Latin-1"), stderr);
        assertTrue(stderr.contains("or pass --replace-invalid"), stderr);
        assertTrue(!stderr.contains("\tat "), "no stack trace: " + stderr);

        assertEquals(0, run("tokenize", "--tokenizer", model.toString(), "--input", in.toString(), "--replace-invalid"));
        String second = stdout.strip().split("\n")[1];
        T5Tokenizer tok = T5Tokenizer.load(model);
        assertEquals(json.readTree(second).get("ids").toString(), json.valueToTree(tok.encode("a\uFFFD(")).toString());
    }

    @Test
    void userMistakesAreOneLineErrors() throws Exception {
        assertEquals(2, run("tokenize", "--tokenizer", dir.resolve("missing.model").toString(), "--text", "x"));
        assertTrue(stderr.contains("does not exist"), stderr);
        assertEquals(2, run("tokenize", "--tokenizer", model.toString()));
        assertTrue(stderr.contains("exactly one of --text and --input"), stderr);
        Path in = dir.resolve("nofield.jsonl");
        Files.writeString(in, "{\"other\": 1}\n");
        assertEquals(2, run("tokenize", "--tokenizer", model.toString(), "--input", in.toString()));
        assertTrue(stderr.contains(in + " line 1: no string field \"text\""), stderr);
        Path ids = dir.resolve("ids.jsonl");
        Files.writeString(ids, "{\"ids\": [1, 2]}\n{\"ids\": [3, 999999]}\n");
        assertEquals(2, run("detokenize", "--tokenizer", model.toString(), "--input", ids.toString()));
        assertTrue(stderr.contains(ids + " line 2: id 999999 is out of range (the vocabulary has "), stderr);
        assertEquals(2, run("detokenize", "--tokenizer", model.toString(), "--ids", "1,x"));
        assertTrue(stderr.contains("'x' is not an integer"), stderr);
    }
}
