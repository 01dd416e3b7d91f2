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
 * (serve/browser-test) types a text, submits with the API token, waits for the summary and
 * saves a screenshot under serve/target/browser-test/.
 */
@Tag("browser")
class BrowserPageTest {
    private static final String TOKEN = "browser-test-token";

    @Test
    void pageSummarizesWithAuthAndShowsErrors() throws Exception {
        Path root = Path.of(System.getProperty("resumo.root", ".."));
        Path script = root.resolve("serve/browser-test/summarize-page.mjs");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium missing: apt-get install -y chromium (.ci/run does)");
        assumeTrue(Files.isDirectory(root.resolve("serve/browser-test/node_modules/playwright-core")),
                "playwright-core missing: run npm ci in serve/browser-test (.ci/run does)");
        assumeTrue(onPath("node"), "node missing");
        Path out = root.resolve("serve/target/browser-test");
        Files.createDirectories(out);
        ServeConfig config = ServerFixture.config().withTokens(List.of(TOKEN));
        try (ServerFixture f = new ServerFixture(config, new FakeEngine(50, 512))) {
            JsonNode ok = runPage(script, f.uri("/").toString(), out.resolve("summarize-page.png"), TOKEN, 0);
            assertTrue(ok.get("summary").asText().startsWith("O governo federal [32]"),
                    "the fake engine's summary for the typed text, with the chosen length: " + ok);
            assertTrue(ok.get("meta").asText().contains("Latência"), "latency shown: " + ok);
            assertTrue(ok.get("external").isEmpty(), "no external assets requested: " + ok);

            JsonNode denied = runPage(script, f.uri("/").toString(), out.resolve("summarize-page-error.png"), "wrong", 1);
            assertTrue(denied.get("error").asText().contains("401"), "the 401 is shown in the page: " + denied);
            assertEquals("", denied.get("summary").asText());
        }
        assertTrue(Files.size(out.resolve("summarize-page.png")) > 1000);
        System.out.println("browser test: screenshot at " + out.resolve("summarize-page.png").toAbsolutePath().normalize());
    }

    private static JsonNode runPage(Path script, String url, Path screenshot, String token, int expectedExit) throws Exception {
        Process p = new ProcessBuilder("node", script.toString(), url, screenshot.toString(), token)
                .redirectErrorStream(true).start();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "browser script finished");
        assertEquals(expectedExit, p.exitValue(), output);
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
