// Loads the Resumo page in Debian's chromium, submits a Portuguese text, waits for the summary,
// saves a screenshot (phone-sized viewport) and prints one JSON line with what it saw.
// Usage: node summarize-page.mjs <page url> <screenshot path> [api token]
import { chromium } from "playwright-core";

const [url, screenshot, token] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error("usage: node summarize-page.mjs <page url> <screenshot path> [api token]");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(new URL(url).origin)) external.push(r.url()); });
  await page.goto(url, { waitUntil: "load" });
  await page.fill("#text", "O governo federal anunciou nesta segunda-feira um novo programa de investimentos " +
    "em escolas públicas, com foco em reformas de prédios, internet rápida e formação de professores.");
  await page.selectOption("#length", "32");
  await page.selectOption("#beams", "1");
  if (token) await page.fill("#token", token);
  await page.click("#submit");
  await page.waitForFunction(() => document.querySelector("#summary").textContent.trim().length > 0
      || !document.querySelector("#error").hidden, null, { timeout: 30000 });
  const summary = (await page.textContent("#summary")).trim();
  const errorShown = await page.isVisible("#error");
  const error = errorShown ? (await page.textContent("#error")).trim() : "";
  const meta = (await page.textContent("#meta")).trim();
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ summary, error, meta, external }));
  process.exit(summary && !errorShown ? 0 : 1);
} finally {
  await browser.close();
}
