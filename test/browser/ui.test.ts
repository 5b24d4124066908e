// The web UI in headless Chromium against the daemon on the simulator.
import { mkdir, writeFile } from "node:fs/promises";
import type { Browser, Locator, Page } from "playwright-core";
import QRCode from "qrcode";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateKeyPair } from "../../src/core/keys.ts";
import { wgQuick } from "../support/fixtures.ts";
import { launchChromium, startUiDaemon, type UiDaemon } from "./support.ts";

const PASSWORD = "correct horse battery";
let browser: Browser;
let ui: UiDaemon;
let page: Page;
const stateOf = (p: Page) => p.locator("status-view [data-state]").getAttribute("data-state");
/** Focus inside a component is its shadow root's active element. */
const hasFocus = (l: Locator) => l.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el);

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
  ui = await startUiDaemon(PASSWORD);
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
});

afterEach(async () => {
  await page?.close();
  await ui?.close();
});

/** Every state the status view shows from now on, in order, sampled every 20 ms in the page. */
async function recordStates(p: Page): Promise<() => Promise<string[]>> {
  await p.evaluate(() => {
    const seen: string[] = [];
    Object.assign(window, { seenStates: seen });
    setInterval(() => {
      const view = document.querySelector("enigm-app")?.shadowRoot?.querySelector("status-view");
      const state = view?.shadowRoot?.querySelector("[data-state]")?.getAttribute("data-state");
      if (state && seen.at(-1) !== state) seen.push(state);
    }, 20);
  });
  return () => p.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
}

describe("web UI in Chromium", () => {
  it("logs in, and a wrong password is refused", async () => {
    await page.goto(ui.url);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/wrong user name or password/);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("switch").waitFor();
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByLabel("Password").waitFor();
    await page.reload();
    await page.getByLabel("Password").waitFor();
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
    await expect.poll(() => stateOf(page)).toBe("off");
    const seen = await recordStates(page);
    await page.getByRole("switch").click();
    await expect.poll(() => stateOf(page), { timeout: 10_000 }).toBe("protected");
    expect(await page.getByRole("switch").getAttribute("aria-checked")).toBe("true");
    await page.locator("status-view dd", { hasText: "Cafe" }).getByText("vpn.example.net:51820").waitFor();
    // the guarded change was confirmed by the page, so it will not roll back
    await expect.poll(() => ui.daemon.service.status().pendingApply, { timeout: 5000 }).toBeNull();
    await page.getByRole("switch").click();
    await expect.poll(() => stateOf(page), { timeout: 10_000 }).toBe("off");
    expect(await seen()).toEqual(["off", "connecting", "protected", "off"]);
  });

  it("every view names its controls (screen readers, voice control), fits a 360 px phone and breaks no CSP rule", async () => {
    const problems: string[] = [];
    page.on("console", (m) => void (m.type() === "error" && problems.push(m.text())));
    page.on("pageerror", (e) => void problems.push(e.message));
    await ui.daemon.service.importConfig({ text: wgQuick(), name: "Cafe" });
    await page.setViewportSize({ width: 360, height: 740 });
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    await page.goto(ui.url);
    const unnamed = async () => (await page.locator("body").ariaSnapshot()).split("\n").filter((l) => /^\s*- (textbox|checkbox|combobox|button|switch|link)\b(?! ")/.test(l));
    expect(await unnamed()).toEqual([]);
    await login(page);
    for (const tab of ["Status", "Servers", "Settings", "About"]) {
      await page.getByRole("button", { name: tab, exact: true }).click();
      await page.locator("main h2").first().waitFor();
      expect(await unnamed(), tab).toEqual([]);
      expect(await pageWidth(), tab).toBeLessThanOrEqual(360);
    }
    expect(problems).toEqual([]);
  });

  it("says plainly when traffic is not protected, blocked, or the check through the tunnel fails", async () => {
    await login(page);
    const reason = page.locator("status-view .reason");
    const tone = () => page.locator("status-view .hero").getAttribute("class");
    await page.getByRole("switch").click();
    await expect.poll(() => stateOf(page)).toBe("unprotected");
    expect(await page.locator("status-view [data-state]").textContent()).toBe("Not protected");
    await expect.poll(() => reason.textContent()).toMatch(/No VPN server is configured; traffic goes directly to the uplink, unprotected/);
    expect(await tone()).toContain("bad");

    await ui.daemon.service.setSettings({ killSwitch: true });
    await expect.poll(() => stateOf(page)).toBe("blocked");
    expect(await page.locator("status-view [data-state]").textContent()).toBe("Blocked: waiting for the VPN");
    await expect.poll(() => reason.textContent()).toMatch(/traffic is held until the tunnel is up/);

    ui.platform.fail("probe");
    await ui.daemon.service.importConfig({ text: wgQuick(), name: "Cafe" });
    await expect.poll(() => stateOf(page), { timeout: 10_000 }).toBe("degraded");
    await expect.poll(() => reason.textContent()).toMatch(/Cafe is up but the check through it fails/);
    expect(await tone()).toContain("warn");
  });

  it("keeps updating without the event stream, by asking for the status", async () => {
    await page.route("**/api/v1/events", (route) => route.abort());
    await ui.daemon.service.importConfig({ text: wgQuick(), name: "Cafe" });
    await login(page);
    await expect.poll(() => stateOf(page), { timeout: 10_000 }).toBe("off");
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await ui.daemon.service.enable();
    await expect.poll(() => stateOf(page), { timeout: 15_000 }).toBe("protected");
    expect(await page.evaluate(() => "notReloaded" in window)).toBe(true);
  });

  it("reorders with the keyboard, renames and removes servers", async () => {
    for (const name of ["One", "Two", "Three"]) await ui.daemon.service.importConfig({ text: wgQuick(), name });
    await login(page);
    await page.getByRole("button", { name: "Servers" }).click();
    const names = () => page.locator("servers-view li .name").allTextContents();
    await expect.poll(names).toEqual(["One", "Two", "Three"]);

    await page.getByRole("button", { name: "Move Three up" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(names).toEqual(["One", "Three", "Two"]);
    // focus stays on the moved server's button, so it can go up again
    const up = page.getByRole("button", { name: "Move Three up" });
    await expect.poll(() => hasFocus(up)).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(names).toEqual(["Three", "One", "Two"]);
    expect(ui.daemon.service.listServers().map((s) => s.name)).toEqual(["Three", "One", "Two"]);

    await page.getByRole("button", { name: "Rename One" }).click();
    await page.getByLabel("New name for One").fill("Hotel");
    await page.keyboard.press("Enter");
    await expect.poll(names).toEqual(["Three", "Hotel", "Two"]);

    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Remove Two" }).click();
    await expect.poll(names).toEqual(["Three", "Hotel"]);
    expect(ui.daemon.service.listServers().map((s) => s.name)).toEqual(["Three", "Hotel"]);

    // which one is in use follows the live status
    const inUse = () => page.locator("servers-view li", { hasText: "in use" }).locator(".name").allTextContents();
    expect(await inUse()).toEqual([]);
    await ui.daemon.service.enable();
    await expect.poll(inUse, { timeout: 5000 }).toEqual(["Three"]);
  });

  it("imports by paste, by file and by QR image; a bad file shows the field error", async () => {
    await login(page);
    await page.getByRole("button", { name: "Servers" }).click();
    await page.getByLabel("Or paste it").fill(wgQuick().replace("vpn.example.net", "203.0.113.1"));
    await page.getByLabel("Name (optional)").fill("Pasted");
    await page.getByRole("button", { name: "Import" }).click();
    await page.locator('[data-server="Pasted"]').waitFor();

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

    // another provider's file, with its own private key: offered to replace the servers
    await page.getByLabel("Or paste it").fill(wgQuick({ privateKey: generateKeyPair().privateKey }));
    await page.getByLabel("Name (optional)").fill("Other");
    await page.getByRole("button", { name: "Import" }).click();
    await expect.poll(() => error.getAttribute("data-field")).toBe("Interface.PrivateKey");
    await page.getByRole("button", { name: "Replace all servers with this file" }).click();
    await expect.poll(() => page.locator("servers-view li .name").allTextContents()).toEqual(["Other"]);

    const before = ui.daemon.service.status().publicKey;
    expect(await page.locator("[data-public-key]").textContent()).toBe(before);
    await page.getByRole("button", { name: "Generate a new key pair" }).click();
    await expect.poll(() => ui.daemon.service.status().publicKey).not.toBe(before);
    await expect.poll(() => page.locator("[data-public-key]").textContent()).toBe(ui.daemon.service.status().publicKey);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: "Copy public key" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ui.daemon.service.status().publicKey);
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

    // the question takes the keyboard focus: Enter keeps the change
    await page.getByLabel("Kill switch").check();
    await page.getByRole("alertdialog").waitFor();
    await expect.poll(() => hasFocus(page.getByRole("button", { name: "Keep" }))).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => ui.daemon.service.status().pendingApply).toBeNull();
    expect(ui.daemon.service.getSettings().killSwitch).toBe(true);
    await expect.poll(() => page.getByRole("alertdialog").count()).toBe(0);

    // undone by the router (its timer, or another browser): the question goes, the page follows
    await page.getByLabel("DNS protection").uncheck();
    await page.getByRole("alertdialog").waitFor();
    await ui.daemon.service.rollbackApply();
    await expect.poll(() => page.getByRole("alertdialog").count()).toBe(0);
    expect(await page.locator("enigm-app main > .error").textContent()).toMatch(/The router undid the change/);
    await expect.poll(() => page.getByLabel("DNS protection").isChecked()).toBe(true);
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
    await expect.poll(() => stateOf(page), { timeout: 10_000 }).toBe("protected");
    // a few status events, so the throughput line has points
    await page.locator("spark-line").waitFor({ timeout: 10_000 });
    await page.waitForTimeout(4500);
    await mkdir("test-results", { recursive: true });
    await writeFile("test-results/status-phone.png", await page.screenshot({ fullPage: true }));
    await page.setViewportSize({ width: 1280, height: 800 });
    await writeFile("test-results/status-desktop.png", await page.screenshot({ fullPage: true }));
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize({ width: 360, height: 780 });
    await writeFile("test-results/status-phone-dark.png", await page.screenshot({ fullPage: true }));
  });
});
