package dev.resumo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The web page in a real browser: Debian's chromium driven by playwright-core
 * (serve/browser-test/summarize-page.mjs) goes through the scenarios a user meets (keyboard,
 * settings, copy, double submit, every error the API answers, a dropped connection, hostile text,
 * a phone-width screen, a server without auth) and prints what it saw; this test checks it.
 * Screenshots land under serve/target/browser-test/.
 */
@Tag("browser")
class BrowserPageTest {
    private static final String TOKEN = "browser-test-token";
    /** What the page sends: its first three words come back from the fake engine, emoji and accents included. */
    private static final String FIRST_WORDS = "🎓 Ação São";

    @Test
    void pageHandlesWhatAUserMeets() throws Exception {
        Path root = Path.of(System.getProperty("resumo.root", ".."));
        Path script = root.resolve("serve/browser-test/summarize-page.mjs");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium missing: apt-get install -y chromium (.ci/run does)");
        assumeTrue(Files.isDirectory(root.resolve("serve/browser-test/node_modules/playwright-core")),
                "playwright-core missing: run npm ci in serve/browser-test (.ci/run does)");
        assumeTrue(onPath("node"), "node missing");
        Path out = root.resolve("serve/target/browser-test");
        Files.createDirectories(out);
        // Auth on, an 8 KiB body limit and a max_new_tokens limit of 64, so 413 and 400 come from the server itself;
        // 300 ms per batch leaves time to try a second submit while the first runs.
        ServeConfig withAuth = new ServeConfig("127.0.0.1", 0, List.of(TOKEN), 8192, 16, 8, 5, 30_000, true, 64, 8, 64, 1000);
        JsonNode r;
        try (ServerFixture auth = new ServerFixture(withAuth, new FakeEngine(300, 512));
             ServerFixture open = new ServerFixture(ServerFixture.config(), new FakeEngine(0, 512))) {
            r = run(script, auth.uri("/").toString(), open.uri("/").toString(), out);
        }

        JsonNode page = r.get("page");
        assertEquals(0, page.get("unlabelled").size(), "every control has a label: " + page);
        assertEquals("polite", page.get("summaryLive").asText(), "the summary is announced");
        assertEquals("alert", page.get("errorRole").asText());
        assertTrue(page.get("tokenShown").asBoolean() && page.get("tokenRequired").asBoolean(), "auth on: token asked for: " + page);
        assertEquals("fake-t5", page.get("model").asText());

        JsonNode load = r.get("load");
        assertEquals(0, load.get("external").size(), "nothing fetched from elsewhere: " + load);
        assertEquals(0, load.get("failed").size(), "no failed fetch (favicon included): " + load);
        assertEquals(0, load.get("consoleErrors").size(), "no console error (a CSP violation would be one): " + load);

        JsonNode keyboard = r.get("keyboard");
        assertEquals(FakeEngine.expected(FIRST_WORDS, 64), keyboard.get("summary").asText(), "Ctrl+Enter sent it: " + keyboard);
        assertFalse(keyboard.get("body").has("max_new_tokens") || keyboard.get("body").has("num_beams"),
                "untouched, length and beams are the model's own (as in the CLI and the API): " + keyboard.get("body"));
        JsonNode chosen = r.get("chosen");
        assertEquals(FakeEngine.expected(FIRST_WORDS, 32), chosen.get("summary").asText(), "emoji and accents round-trip: " + chosen);
        assertEquals(32, chosen.at("/body/max_new_tokens").asInt());
        assertTrue(chosen.get("meta").asText().contains("Latência"), "latency shown: " + chosen);
        assertEquals(chosen.get("summary").asText(), chosen.get("copied").asText(), "the copy button copies the summary");

        JsonNode twice = r.get("doubleSubmit");
        assertTrue(twice.get("busyWhileRunning").asBoolean(), "the button is disabled while a summary runs");
        assertEquals(1, twice.get("requests").asInt(), "a second submit while the first runs sends nothing: " + twice);
        assertEquals(FakeEngine.expected(FIRST_WORDS, 64), twice.get("summary").asText());

        assertShows(r, "wrongToken", "Erro 401", "Token da API", "token");
        assertShows(r, "missingToken", "Este servidor pede um token", "Token da API", "token");
        assertEquals(0, r.at("/missingToken/requestsSent").asInt(), "no request without the token the server needs");
        assertShows(r, "badLength", "Erro 400", "max_new_tokens", "length");
        assertShows(r, "tooLarge", "Erro 413", "grande demais", "text");
        assertShows(r, "busy", "Erro 429", "7 s", null);
        assertShows(r, "loading", "Erro 503", "carregando", null);
        assertShows(r, "shuttingDown", "Erro 503", "desligado", null);
        assertShows(r, "timeout", "Erro 504", "demorou demais", null);
        assertShows(r, "proxyPage", "Erro 502", "inesperada", null);
        assertShows(r, "networkDown", "Sem resposta do servidor", "conexão", null);

        JsonNode hostileError = r.get("hostileError");
        assertTrue(hostileError.get("error").asText().contains("<img src=x onerror="), "markup in an error is shown as text: " + hostileError);
        assertEquals(0, hostileError.at("/injected/elements").asInt(), "no element made from it: " + hostileError);
        assertFalse(hostileError.at("/injected/ran").asBoolean());
        JsonNode hostileSummary = r.get("hostileSummary");
        assertTrue(hostileSummary.get("summary").asText().startsWith("<img src=x"), "markup in a summary is shown as text: " + hostileSummary);
        assertTrue(hostileSummary.get("meta").asText().contains("<b>m</b>"), hostileSummary.toString());
        assertEquals(0, hostileSummary.at("/injected/elements").asInt(), hostileSummary.toString());
        assertFalse(hostileSummary.at("/injected/ran").asBoolean());

        JsonNode notSampling = r.at("/advanced/notSampling/body");
        assertEquals(3, notSampling.get("no_repeat_ngram_size").asInt(), "the more-options panel reaches the API: " + notSampling);
        assertFalse(notSampling.has("temperature") || notSampling.has("do_sample"), "sampling settings only when sampling: " + notSampling);
        JsonNode sampling = r.at("/advanced/sampling/body");
        assertTrue(sampling.get("do_sample").asBoolean(), sampling.toString());
        assertEquals(0.7, sampling.get("temperature").asDouble(), 1e-9, sampling.toString());
        assertEquals(5, sampling.get("seed").asInt(), sampling.toString());
        assertEquals(1, sampling.get("num_beams").asInt(), sampling.toString());
        assertFalse(sampling.has("top_k"), "left blank: the model's own: " + sampling);
        assertEquals(FakeEngine.expected(FIRST_WORDS, 64), r.at("/advanced/sampling/summary").asText());

        JsonNode open = r.get("open");
        assertFalse(open.get("tokenShown").asBoolean(), "no auth: no token field: " + open);
        assertTrue(open.get("readyCalls").asInt() >= 2, "asked /ready again while the model loaded: " + open);
        assertTrue(open.get("summary").asText().endsWith("mais palavras [64]"), open.toString());
        assertTrue(open.get("scrollWidth").asInt() <= open.get("viewport").asInt(), "nothing wider than a phone screen: " + open);

        assertTrue(Files.size(out.resolve("summarize-page.png")) > 1000);
        System.out.println("browser test: " + r.size() + " scenarios; screenshots in " + out.toAbsolutePath().normalize());
    }

    /** The scenario ended with an error that says what happened, the button usable again, the cursor where the fix goes. */
    private static void assertShows(JsonNode r, String scenario, String start, String says, String focus) {
        JsonNode o = r.get(scenario);
        String error = o.get("error").asText();
        assertTrue(error.startsWith(start) && error.contains(says), scenario + ": " + o);
        assertEquals("", o.get("summary").asText(), scenario + ": no stale summary: " + o);
        assertTrue(o.get("buttonEnabled").asBoolean() && o.get("buttonText").asText().equals("Resumir"), scenario + ": button back: " + o);
        if (focus != null) assertEquals(focus, o.get("focused").asText(), scenario + ": the cursor goes where the fix is: " + o);
    }

    private static JsonNode run(Path script, String authUrl, String openUrl, Path out) throws Exception {
        Process p = new ProcessBuilder("node", script.toString(), authUrl, openUrl, out.toString(), TOKEN)
                .redirectErrorStream(true).start();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "browser script finished");
        assertEquals(0, p.exitValue(), output);
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        assertFalse(last.isEmpty(), "script printed its result");
        return ServerFixture.JSON.readTree(last);
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, exe))) return true;
        }
        return false;
    }
}
