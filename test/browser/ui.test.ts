// The web UI in headless Chromium against the daemon on the simulator.
import { mkdir, writeFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import QRCode from "qrcode";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { wgQuick } from "../support/fixtures.ts";
import { launchChromium, startUiDaemon, type UiDaemon } from "./support.ts";

const PASSWORD = "correct horse battery";
let browser: Browser;
let ui: UiDaemon;
let page: Page;

async function login(p: Page) {
  await p.goto(ui.url);
  await p.getByLabel("Password").fill(PASSWORD);
  await p.getByRole("button", { name: "Log in" }).click();
  await p.getByRole("switch").waitFor();
}

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  await ui?.close();
  ui = await startUiDaemon(PASSWORD);
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  return async () => {
    await page.close();
    await ui.close();
  };
});

describe("web UI in Chromium", () => {
  it("logs in, and a wrong password is refused", async () => {
    await page.goto(ui.url);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/wrong user name or password/);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("switch").waitFor();
  });

  it("first start: a wrong setup code is refused, the right one sets the password", async () => {
    const fresh = await startUiDaemon(null);
    try {
      await page.goto(fresh.url);
      await page.getByLabel("Setup code").fill("0000-0000-0000");
      await page.getByLabel("New password").fill("a new password");
      await page.getByRole("button", { name: "Set password" }).click();
      await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/wrong setup code/);
      expect(fresh.daemon.service.hasPassword()).toBe(false);
      const code = /setup code ([0-9a-f-]+)/.exec(fresh.log.join("\n"))?.[1];
      await page.getByLabel("Setup code").fill(code!);
      await page.getByRole("button", { name: "Set password" }).click();
      await page.getByRole("switch").waitFor();
      expect(fresh.daemon.service.checkPassword("a new password")).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it("switches on (connecting, then protected) and off, live, and confirms the change", async () => {
    await ui.daemon.service.importConfig({ text: wgQuick(), name: "Cafe" });
    await login(page);
    const state = page.locator("status-view [data-state]");
    await expect.poll(() => state.getAttribute("data-state")).toBe("off");
    await page.getByRole("switch").click();
    await expect.poll(() => state.getAttribute("data-state"), { timeout: 10_000 }).toBe("protected");
    expect(await page.getByRole("switch").getAttribute("aria-checked")).toBe("true");
    await page.getByText("Cafe (vpn.example.net:51820)").waitFor();
    // the guarded change was confirmed by the page, so it will not roll back
    await expect.poll(() => ui.daemon.service.status().pendingApply, { timeout: 5000 }).toBeNull();
    await page.getByRole("switch").click();
    await expect.poll(() => state.getAttribute("data-state"), { timeout: 10_000 }).toBe("off");
  });

  it("imports by paste, by file and by QR image; a bad file shows the field error", async () => {
    await login(page);
    await page.getByRole("button", { name: "Servers" }).click();
    await page.getByLabel("Or paste it").fill(wgQuick().replace("vpn.example.net", "203.0.113.1"));
    await page.getByLabel("Name (optional)").fill("Pasted");
    await page.getByRole("button", { name: "Import" }).click();
    await page.locator('[data-server="Pasted"]').waitFor();

    await page.getByLabel("From a .conf file").setInputFiles({ name: "hotel.conf", mimeType: "text/plain", buffer: Buffer.from(wgQuick().replace("vpn.example.net", "203.0.113.2")) });
    await expect.poll(() => page.getByLabel("Name (optional)").inputValue()).toBe("Pasted");
    await page.getByLabel("Name (optional)").fill("");
    await page.getByLabel("From a .conf file").setInputFiles({ name: "hotel.conf", mimeType: "text/plain", buffer: Buffer.from(wgQuick().replace("vpn.example.net", "203.0.113.2")) });
    await expect.poll(() => page.getByLabel("Name (optional)").inputValue()).toBe("hotel");
    await page.getByRole("button", { name: "Import" }).click();
    await page.locator('[data-server="hotel"]').waitFor();

    const qr = await QRCode.toBuffer(wgQuick().replace("vpn.example.net", "203.0.113.3"), { type: "png", errorCorrectionLevel: "L" });
    await page.getByLabel("Name (optional)").fill("Scanned");
    await page.getByLabel("From a QR code image").setInputFiles({ name: "qr.png", mimeType: "image/png", buffer: qr });
    await expect.poll(() => page.getByLabel("Or paste it").inputValue(), { timeout: 10_000 }).toContain("Endpoint = 203.0.113.3:51820");
    await page.getByRole("button", { name: "Import" }).click();
    await page.locator('[data-server="Scanned"]').waitFor();
    expect(ui.daemon.service.listServers().map((s) => s.name)).toEqual(["Pasted", "hotel", "Scanned"]);

    await page.getByLabel("Or paste it").fill(wgQuick().replace("10.66.0.2/32", "10.66.0.2/40"));
    await page.getByRole("button", { name: "Import" }).click();
    const error = page.locator("servers-view .error");
    await expect.poll(() => error.getAttribute("data-field")).toBe("Interface.Address");
    expect(await error.textContent()).toContain('"10.66.0.2/40"');
    expect(ui.daemon.service.listServers()).toHaveLength(3);

    const before = ui.daemon.service.status().publicKey;
    expect(await page.locator("[data-public-key]").textContent()).toBe(before);
    await page.getByRole("button", { name: "Generate a new key pair" }).click();
    await expect.poll(() => ui.daemon.service.status().publicKey).not.toBe(before);
    await expect.poll(() => page.locator("[data-public-key]").textContent()).toBe(ui.daemon.service.status().publicKey);
  });

  it("under a locked required policy the switch is disabled and says why", async () => {
    await ui.daemon.service.setPolicy({ mode: "required", locked: true }, "admin");
    await login(page);
    await expect.poll(() => page.getByRole("switch").isDisabled()).toBe(true);
    expect(await page.locator("status-view [data-lock]").textContent()).toMatch(/requires the VPN/);
    await page.getByRole("button", { name: "Settings" }).click();
    await expect.poll(() => page.getByLabel("Kill switch").isDisabled()).toBe(true);
  });

  it("a settings change asks 'Keep these settings?' and Revert undoes it", async () => {
    await login(page);
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByLabel("Kill switch").check();
    await page.getByRole("alertdialog").waitFor();
    expect(Number(await page.locator("[data-countdown]").textContent())).toBeGreaterThan(80);
    expect(ui.daemon.service.getSettings().killSwitch).toBe(true);
    await page.getByRole("button", { name: "Revert now" }).click();
    await expect.poll(() => ui.daemon.service.getSettings().killSwitch).toBe(false);
    await expect.poll(() => page.getByLabel("Kill switch").isChecked()).toBe(false);
  });

  it("refuses a POST without the CSRF token, and never sends a private key", async () => {
    await login(page);
    const res = await page.evaluate(async () => (await fetch("/api/v1/enable", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } })).status);
    expect(res).toBe(403);
    await ui.daemon.service.importConfig({ text: wgQuick() });
    const bodies: string[] = [];
    page.on("response", async (r) => bodies.push(await r.text().catch(() => "")));
    await page.reload();
    await page.getByRole("button", { name: "Servers" }).click();
    await page.locator("servers-view li").first().waitFor();
    const key = (ui.daemon.service as unknown as { config: { tunnel: { privateKey: string } } }).config.tunnel.privateKey;
    expect(bodies.join("\n")).not.toContain(key);
  });

  it("screenshots of the status page at phone and desktop widths", async () => {
    await ui.daemon.service.importConfig({ text: wgQuick(), name: "Amsterdam" });
    await ui.daemon.service.enable();
    await login(page);
    await expect.poll(() => page.locator("status-view [data-state]").getAttribute("data-state"), { timeout: 10_000 }).toBe("protected");
    // a few status events, so the throughput line has points
    await page.locator("spark-line").waitFor({ timeout: 10_000 });
    await page.waitForTimeout(4500);
    await mkdir("test-results", { recursive: true });
    await writeFile("test-results/status-phone.png", await page.screenshot({ fullPage: true }));
    await page.setViewportSize({ width: 1280, height: 800 });
    await writeFile("test-results/status-desktop.png", await page.screenshot({ fullPage: true }));
  });
});
