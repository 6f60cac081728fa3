// Runs axe-core on HTML files in headless Chromium; prints {"file": [violations...]} as JSON.
// Usage: node axe.mjs page.html [page.html ...]   (CHROMIUM overrides /usr/bin/chromium)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
const results = {};
try {
  const context = await browser.newContext();
  // the pages must be self-contained: any request other than the file itself fails the check
  const requests = [];
  context.on("request", (request) => { if (!request.url().startsWith("file:")) requests.push(request.url()); });
  for (const file of process.argv.slice(2)) {
    const page = await context.newPage();
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    await page.addScriptTag({ content: axeSource });
    const outcome = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    }));
    results[file] = outcome.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
    await page.close();
  }
  results["external requests"] = requests;
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results, null, 2) + "\n");
