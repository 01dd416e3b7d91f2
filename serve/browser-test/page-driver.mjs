// What the browser scripts share: chromium started as CI can run it, a page that records what it
// did, waiting for the page's answer, and stand-in answers for /v1/summarize.
import { chromium } from "playwright-core";

/** Debian's chromium, headless, talking to nothing but the test servers. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** A fresh page on `url` that records what it fetches, what failed, console errors and the /v1 bodies it sent. */
export async function open(context, url, width = 390, before = null) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 844 });
  const seen = { external: [], failed: [], consoleErrors: [], bodies: [] };
  const origin = new URL(url).origin;
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) seen.external.push(r.url());
    if (r.url().endsWith("/v1/summarize")) seen.bodies.push(r.postDataJSON());
  });
  page.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("/v1/summarize")) seen.failed.push(r.status() + " " + r.url()); });
  page.on("console", (m) => { if (m.type() === "error") seen.consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => seen.consoleErrors.push("page error: " + e.message));
  if (before) await before(page);
  await page.goto(url, { waitUntil: "load" });
  return { page, seen };
}

/** Waits until the page shows a summary or an error, then reads what it shows. */
export async function outcome(page) {
  await page.waitForFunction(() => document.querySelector("#summary").textContent.length > 0
      || !document.querySelector("#error").hidden, null, { timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector("#submit").disabled, null, { timeout: 20000 });
  return page.evaluate(() => ({
    summary: document.querySelector("#summary").textContent,
    error: document.querySelector("#error").hidden ? "" : document.querySelector("#error").textContent,
    meta: document.querySelector("#meta").textContent,
    focused: document.activeElement ? document.activeElement.id : "",
    buttonEnabled: !document.querySelector("#submit").disabled,
    buttonText: document.querySelector("#submit").textContent,
    copyShown: !document.querySelector("#copy").hidden,
  }));
}

/** A route handler answering `status` with `body` (JSON unless a string). */
export function stand_in(status, body, headers = {}) {
  return (route) => route.fulfill({ status, headers: { "Content-Type": "application/json", ...headers },
                                    body: typeof body === "string" ? body : JSON.stringify(body) });
}
