// The web UI's weight (gzip bytes of all JS and CSS the first page loads) and the time to a
// rendered status view in headless Chromium (median of several loads, logged in).
import { gzipSync } from "node:zlib";
import { launchChromium, startUiDaemon } from "../test/browser/support.ts";
import { median } from "./support.ts";

const RUNS = 7;
const PASSWORD = "bench password";

export default async function () {
  const ui = await startUiDaemon(PASSWORD);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const assets = new Map<string, number>();
    page.on("response", async (r) => {
      const type = r.request().resourceType();
      if (type === "script" || type === "stylesheet") assets.set(r.url(), gzipSync(await r.body()).length);
    });
    await page.goto(ui.url);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.locator("status-view [data-state]").waitFor();
    const gzipBytes = [...assets.values()].reduce((a, b) => a + b, 0);

    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.reload();
      await page.locator("status-view [data-state]").waitFor();
      times.push(await page.evaluate(() => performance.now()));
    }
    return { ui_gzip_bytes: gzipBytes, ui_first_render_ms: Math.round(median(times)) };
  } finally {
    await browser.close();
    await ui.close();
  }
}
