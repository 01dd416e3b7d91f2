// Drives the Resumo page in Debian's chromium through a set of scenarios and prints one JSON
// line with what each one saw; BrowserPageTest (serve/src/test) asserts on it. Screenshots go to
// the output folder. Statuses a test server cannot be made to answer on cue (429, 503, 504, a
// dropped connection, a proxy's HTML) and hostile summaries are answered by page.route stand-ins.
// Usage: node summarize-page.mjs <url of a server with auth> <url of one without> <out dir> <api token>
import { launch, open as openIn, outcome, stand_in } from "./page-driver.mjs";

const [authUrl, openUrl, outDir, token] = process.argv.slice(2);
if (!authUrl || !openUrl || !outDir || !token) {
  console.error("usage: node summarize-page.mjs <auth url> <open url> <out dir> <api token>");
  process.exit(2);
}
const TEXT = "🎓 Ação São Paulo: o governo federal anunciou nesta segunda-feira um novo programa de investimentos "
  + "em escolas públicas, com foco em reformas de prédios, internet rápida e formação de professores.";

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(authUrl).origin });
const results = {};

const open = (url, width, before) => openIn(context, url, width, before);

async function submitWith(page, fields) {
  await page.fill("#text", fields.text ?? TEXT);
  if (fields.token !== undefined) await page.fill("#token", fields.token);
  if (fields.length) await page.selectOption("#length", fields.length);
  await page.click("#submit");
  return outcome(page);
}

try {
  // 1. Keyboard and the model's own settings: Ctrl+Enter from the text box sends no length or beams.
  {
    const { page, seen } = await open(authUrl);
    await page.waitForFunction(() => document.querySelector("#model").textContent !== "…");
    results.page = await page.evaluate(() => ({
      unlabelled: [...document.querySelectorAll("input, select, textarea")].filter((e) => e.labels.length === 0).map((e) => e.id),
      summaryLive: document.querySelector("#summary").getAttribute("aria-live"),
      errorRole: document.querySelector("#error").getAttribute("role"),
      tokenRequired: document.querySelector("#token").required,
      tokenShown: !document.querySelector("#token-row").hidden,
      model: document.querySelector("#model").textContent,
    }));
    await page.fill("#text", TEXT);
    await page.fill("#token", token);
    await page.focus("#text");
    await page.keyboard.press("Control+Enter");
    results.keyboard = { ...(await outcome(page)), body: seen.bodies[0] };

    // 2. The same page with a chosen length, sent with the button; the summary copied to the clipboard.
    await page.selectOption("#length", "32");
    await page.click("#submit");
    results.chosen = { ...(await outcome(page)), body: seen.bodies[1] };
    await page.click("#copy");
    await page.waitForFunction(() => document.querySelector("#copied").textContent.length > 0);
    results.chosen.copied = await page.evaluate(() => navigator.clipboard.readText());
    results.chosen.copyStatus = await page.textContent("#copied");
    await page.screenshot({ path: outDir + "/summarize-page.png", fullPage: true });
    results.load = seen;
    await page.close();
  }

  // 3. Double submit: two programmatic submits and a Ctrl+Enter while the first is running send one request.
  {
    const { page, seen } = await open(authUrl);
    await page.fill("#text", TEXT);
    await page.fill("#token", token);
    await page.focus("#text");
    const busy = await page.evaluate(() => {
      const f = document.querySelector("#form");
      f.requestSubmit();
      f.requestSubmit();
      return document.querySelector("#submit").disabled;
    });
    await page.keyboard.press("Control+Enter");
    const o = await outcome(page);
    results.doubleSubmit = { ...o, busyWhileRunning: busy, requests: seen.bodies.length };
    await page.close();
  }

  // 4. Real errors from the server: wrong token (401), missing token, a length past the server's limit (400),
  //    a text past the body limit (413).
  {
    const { page, seen } = await open(authUrl);
    results.wrongToken = await submitWith(page, { token: "wrong" });
    await page.fill("#token", "");
    const before = seen.bodies.length;
    await page.click("#submit");
    results.missingToken = { ...(await outcome(page)), requestsSent: seen.bodies.length - before };
    results.badLength = await submitWith(page, { token, length: "128" });
    await page.selectOption("#length", "");
    results.tooLarge = await submitWith(page, { text: "palavra ".repeat(3000), token });
    await page.screenshot({ path: outDir + "/summarize-page-error.png", fullPage: true });
    await page.close();
  }

  // 5. Answers a test server does not give on cue, through stand-ins.
  const standIns = {
    busy: stand_in(429, { error: { status: 429, field: "queue", message: "too much waiting work" } }, { "Retry-After": "7" }),
    loading: stand_in(503, { error: { status: 503, field: "model", message: "the model is still loading; see /ready" } }),
    shuttingDown: stand_in(503, { error: { status: 503, field: "server", message: "the server is shutting down" } }),
    timeout: stand_in(504, { error: { status: 504, field: "timeout", message: "not answered within 120 s" } }),
    proxyPage: (route) => route.fulfill({ status: 502, headers: { "Content-Type": "text/html" }, body: "<h1>Bad gateway</h1>" }),
    networkDown: (route) => route.abort("failed"),
    hostileError: stand_in(400, { error: { status: 400, field: "<b>f</b>", message: "<img src=x onerror=\"window.__xss=1\">" } }),
    hostileSummary: stand_in(200, { summaries: ["<img src=x onerror=\"window.__xss=2\"><script>window.__xss=3</script>"],
                                    model: "<b>m</b>", truncated: false, tokens_generated: 1, timing_ms: 1 }),
  };
  {
    const { page } = await open(authUrl);
    for (const [name, handler] of Object.entries(standIns)) {
      await page.unroute("**/v1/summarize");
      await page.route("**/v1/summarize", handler);
      const o = await submitWith(page, { token });
      o.injected = await page.evaluate(() => ({
        elements: document.querySelectorAll("#result img, #result script, #result b").length,
        ran: window.__xss !== undefined,
      }));
      results[name] = o;
    }
    await page.close();
  }

  // 6. Every generation option the API takes, from the "more options" panel; sampling ones only when sampling.
  {
    const { page, seen } = await open(authUrl);
    await page.fill("#text", TEXT);
    await page.fill("#token", token);
    await page.click("#advanced summary");
    await page.fill("#no_repeat_ngram_size", "3");
    await page.selectOption("#early_stopping", "never");
    await page.fill("#prompt_lookup_num_tokens", "10");
    await page.fill("#temperature", "0.7");
    await page.click("#submit");
    const first = await outcome(page);
    await page.check("#do_sample");
    await page.selectOption("#beams", "1");
    await page.fill("#seed", "5");
    await page.click("#submit");
    results.advanced = { notSampling: { ...first, body: seen.bodies[0] }, sampling: { ...(await outcome(page)), body: seen.bodies[1] } };
    await page.close();
  }

  // 7. A server without auth hides the token field; a model still loading is asked again until it is ready.
  {
    let readyCalls = 0;
    const { page } = await open(openUrl, 320, (p) => p.route("**/ready", (route) => {
      readyCalls++;
      return readyCalls === 1 ? stand_in(503, { status: "loading", auth: false })(route) : route.continue();
    }));
    await page.waitForFunction(() => document.querySelector("#model").textContent === "fake-t5", null, { timeout: 10000 });
    const tokenShown = await page.isVisible("#token");
    // A long unbroken word must not widen a phone screen.
    const o = await submitWith(page, { text: "x".repeat(300) + " mais palavras aqui" });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.screenshot({ path: outDir + "/summarize-page-narrow.png", fullPage: true });
    results.open = { ...o, tokenShown, readyCalls, scrollWidth: width, viewport: 320 };
    await page.close();
  }
  console.log(JSON.stringify(results));
} finally {
  await browser.close();
}
