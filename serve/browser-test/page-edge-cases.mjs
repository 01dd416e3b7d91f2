// The page's edge cases past summarize-page.mjs: a token fetch cannot send, error bodies not in the
// API's shape, an empty summary, a proxy mount without a trailing slash, the focus after a request
// sent from the button, cancelling a request that hangs, a seed past 2^53, right-to-left text and
// several summaries for one text (num_return_sequences).
// Prints one JSON line; BrowserPageTest asserts on it.
// Usage: node page-edge-cases.mjs <url of a server with auth> <url of a slow one without> <out dir> <api token>
import { launch, open as openIn, outcome, stand_in } from "./page-driver.mjs";

const [authUrl, slowUrl, outDir, token] = process.argv.slice(2);
if (!authUrl || !slowUrl || !outDir || !token) {
  console.error("usage: node page-edge-cases.mjs <auth url> <slow url> <out dir> <api token>");
  process.exit(2);
}
const TEXT = "Ação São Paulo: o governo federal anunciou um novo programa de investimentos em escolas públicas.";
const ARABIC = "أعلنت الحكومة اليوم عن برنامج جديد للاستثمار في المدارس العامة.";

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
const open = (url, width, before) => openIn(context, url, width, before);
const results = {};

/** Fills the form and sends it with a click; what the page then shows, and how many /v1 requests went out. */
async function send(page, seen, fields = {}) {
  await page.fill("#text", fields.text ?? TEXT);
  if (fields.token !== undefined) await page.fill("#token", fields.token);
  const before = seen.bodies.length;
  await page.click("#submit");
  return { ...(await outcome(page)), requestsSent: seen.bodies.length - before };
}

try {
  // 1. A token with a character an Authorization header cannot carry: fetch throws a TypeError,
  //    which the page used to report as the network being down.
  {
    const { page, seen } = await open(authUrl);
    await page.waitForFunction(() => document.querySelector("#token").required);
    results.nonAsciiToken = await send(page, seen, { token: token + "\u2019" });
    await page.close();
  }

  // 2. Error bodies not in the API's {"error": {field, message}} shape (a proxy, an older server):
  //    the page read error.field.replace and reported the TypeError as the network being down.
  //    And a 200 whose summary is empty, or whose list is.
  {
    const { page, seen } = await open(authUrl);
    const answers = {
      errorWithoutField: stand_in(400, { error: { status: 400, message: "settings refused by the gateway" } }),
      errorAsString: stand_in(400, { error: "bad request" }),
      emptySummary: stand_in(200, { summaries: [" "], model: "fake-t5", truncated: false, tokens_generated: 1, timing_ms: 1 }),
      noSummaries: stand_in(200, { summaries: [], model: "fake-t5", truncated: false, tokens_generated: 0, timing_ms: 1 }),
    };
    for (const [name, handler] of Object.entries(answers)) {
      await page.unroute("**/v1/summarize");
      await page.route("**/v1/summarize", handler);
      results[name] = await send(page, seen, { token });
    }
    results.answersSeen = seen;
    await page.close();
  }

  // 3. Behind a proxy that mounts the server at /resumo (no trailing slash) on another host, and with
  //    a query string: /ready and /v1 are asked under the mount, from the page's own origin.
  {
    const asked = [];
    const proxy = async (route) => {
      const u = new URL(route.request().url());
      asked.push(route.request().method() + " " + u.pathname);
      if (u.pathname !== "/resumo" && !u.pathname.startsWith("/resumo/")) {
        return route.fulfill({ status: 404, contentType: "text/html", body: "<h1>Not under the mount</h1>" });
      }
      const inner = new URL(u.pathname.slice("/resumo".length) || "/", authUrl);
      return route.fulfill({ response: await route.fetch({ url: inner.toString() }) });
    };
    const { page, seen } = await open("http://proxy.test/resumo?from=mail", 390, (p) => p.route("http://proxy.test/**", proxy));
    await page.waitForFunction(() => document.querySelector("#model").textContent !== "…");
    const model = await page.textContent("#model");
    results.mountedWithoutSlash = { ...(await send(page, seen, { token })), model, asked };
    await page.close();
  }

  // 4. Sent from the button with the keyboard: the disabled button dropped the focus to the page,
  //    so the next Tab started over from the top. After a summary and after a dropped connection.
  {
    const { page } = await open(authUrl);
    await page.fill("#text", TEXT);
    await page.fill("#token", token);
    await page.focus("#submit");
    await page.keyboard.press("Enter");
    results.focusAfterSummary = await outcome(page);
    await page.route("**/v1/summarize", (route) => route.abort("failed"));
    await page.focus("#submit");
    await page.keyboard.press("Enter");
    results.focusAfterNetworkError = await outcome(page);
    await page.close();
  }

  // 5. A request that takes long (the slow server holds each batch for a minute): the user can
  //    cancel it with the button or with Esc, and the page says so.
  {
    const { page } = await open(slowUrl);
    await page.fill("#text", TEXT);
    await page.click("#submit");
    await page.waitForFunction(() => document.querySelector("#submit").disabled);
    const cancelShown = await page.isVisible("#cancel");
    await page.click("#cancel");
    results.cancelButton = { ...(await outcome(page)), cancelShown, cancelShownAfter: await page.isVisible("#cancel") };
    await page.focus("#text");
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(() => document.querySelector("#submit").disabled);
    await page.keyboard.press("Escape");
    results.cancelEscape = await outcome(page);
    await page.close();
  }

  // 6. A seed past 2^53, which JSON.stringify would send rounded (…993 as …992): refused on the page.
  {
    const { page, seen } = await open(authUrl);
    await page.fill("#token", token);
    await page.click("#advanced summary");
    await page.check("#do_sample");
    await page.fill("#seed", "9007199254740993");
    results.hugeSeed = await send(page, seen);
    await page.close();
  }

  // 7. Right-to-left text reads right to left, in the box and in the summary.
  {
    const { page, seen } = await open(authUrl);
    await page.route("**/v1/summarize", stand_in(200, { summaries: [ARABIC], model: "fake-t5", truncated: false,
                                                         tokens_generated: 5, timing_ms: 1 }));
    const o = await send(page, seen, { text: ARABIC, token });
    results.rightToLeft = { ...o, ...(await page.evaluate(() => ({
      textDirection: getComputedStyle(document.querySelector("#text")).direction,
      summaryDirection: getComputedStyle(document.querySelector("#summary")).direction,
    }))) };
    await page.screenshot({ path: outDir + "/summarize-page-rtl.png", fullPage: true });
    await page.close();
  }
  // 8. The counter counts what a reader sees: "ã" as a + combining tilde (decomposed text pasted from
  //    macOS), a flag (two regional indicators) and a family emoji (seven code points) are one each.
  {
    const { page } = await open(authUrl);
    await page.fill("#text", "a\u0303\u{1F1E7}\u{1F1F7}\u{1F468}\u200D\u{1F469}\u200D\u{1F467}e");
    await page.waitForFunction(() => !document.querySelector("#count").textContent.startsWith("0 "));
    results.counter = { shown: await page.textContent("#count"),
                        utf16Units: await page.evaluate(() => document.querySelector("#text").value.length) };
    await page.close();
  }

  // 9. /ready cannot be reached when the page loads (the server restarting): the page asks again
  //    and shows the model once it answers, without a reload.
  {
    let refused = 0;
    const { page } = await open(authUrl, 390, (p) => p.route("**/ready", (route) => {
      if (refused < 2) { refused++; return route.abort("connectionrefused"); }
      return route.continue();
    }));
    const whileDown = await page.textContent("#model");
    await page.waitForFunction(() => document.querySelector("#model").textContent === "fake-t5", null, { timeout: 15000 });
    results.readyRetried = { whileDown, refused, model: await page.textContent("#model"),
                             tokenRequired: await page.evaluate(() => document.querySelector("#token").required) };
    await page.close();
  }

  // 10. Several summaries asked for (num_return_sequences, with 4 beams): the first in the summary
  //     box, the others listed under it; the next answer without them clears the list.
  {
    const { page, seen } = await open(authUrl);
    await page.fill("#token", token);
    await page.selectOption("#beams", "4");
    await page.click("#advanced summary");
    await page.fill("#num_return_sequences", "3");
    const shown = await send(page, seen);
    const list = await page.evaluate(() => ({
      visible: !document.querySelector("#alternatives").hidden,
      items: [...document.querySelectorAll("#alternative-list li")].map((li) => li.textContent),
    }));
    const sent = seen.bodies[seen.bodies.length - 1];
    await page.fill("#num_return_sequences", "");
    const after = await send(page, seen);
    const listAfter = await page.evaluate(() => ({
      visible: !document.querySelector("#alternatives").hidden,
      items: document.querySelectorAll("#alternative-list li").length,
    }));
    results.candidates = { ...shown, list, sent, after: { ...after, list: listAfter } };
    await page.close();
  }
  console.log(JSON.stringify(results));
} finally {
  await browser.close();
}
