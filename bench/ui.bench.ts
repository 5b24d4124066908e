// The web UI's weight (gzip bytes of all JS and CSS the first page loads) and the time to a
// rendered status view in headless Chromium (median of several loads, logged in).
import { gzipSync } from "node:zlib";
import { launchChromium, startUiDaemon } from "../test/browser/support.ts";
import { median } from "./support.ts";

const RUNS = 7;
const PASSWORD = "bench password";

/**
 * In the page: the time of the first animation frame in which the status view shows a state.
 * A string, since tsx's transform adds helpers to functions that the page does not have.
 */
const WATCH_FIRST_RENDER = `(() => {
  const found = () => document.querySelector("enigm-app")?.shadowRoot?.querySelector("status-view")?.shadowRoot?.querySelector("[data-state]");
  const check = () => (found() ? (window.firstRenderMs = performance.now()) : requestAnimationFrame(check));
  requestAnimationFrame(check);
})();`;

export default async function () {
  const ui = await startUiDaemon(PASSWORD);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const sizes: Promise<number>[] = [];
    page.on("response", (r) => {
      const type = r.request().resourceType();
      if (type === "script" || type === "stylesheet") sizes.push(r.body().then((b) => gzipSync(b).length));
    });
    await page.goto(ui.url);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.locator("status-view [data-state]").waitFor();
    const gzipBytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);

    await page.addInitScript(WATCH_FIRST_RENDER);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.reload();
      const handle = await page.waitForFunction(() => (window as unknown as { firstRenderMs?: number }).firstRenderMs);
      times.push((await handle.jsonValue()) as number);
    }
    return { ui_gzip_bytes: gzipBytes, ui_first_render_ms: Math.round(median(times)) };
  } finally {
    await browser.close();
    await ui.close();
  }
}
