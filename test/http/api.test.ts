import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.ts";
import { Sessions } from "../../src/http/auth.ts";
import { wgQuick } from "../support/fixtures.ts";
import { simService } from "../support/sim-service.ts";

type Ctx = Awaited<ReturnType<typeof simService>> & { app: ReturnType<typeof createApp>; sessions: Sessions; cookie: string; csrf: string };
let ctx: Ctx;

const PASSWORD = "correct horse battery";

async function login(app: Ctx["app"], password = PASSWORD) {
  const res = await app.request("/api/v1/login", { method: "POST", body: JSON.stringify({ password }), headers: { "Content-Type": "application/json" } });
  return { res, cookie: (res.headers.get("set-cookie") ?? "").split(";")[0]!, body: (await res.json()) as { csrfToken: string } };
}

function post(path: string, body: unknown = {}, headers: Record<string, string> = {}) {
  return ctx.app.request(`/api/v1/${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", Cookie: ctx.cookie, "X-CSRF-Token": ctx.csrf, ...headers },
  });
}

beforeEach(async () => {
  const sim = await simService();
  await sim.service.setPassword(PASSWORD);
  let t = 0;
  const sessions = new Sessions({ now: () => t, sessionTtlMs: 60_000 });
  const app = createApp({ service: sim.service, mode: "web", sessions });
  const { cookie, body } = await login(app);
  ctx = { ...sim, app, sessions, cookie, csrf: body.csrfToken };
  Object.assign(ctx, { tick: (ms: number) => (t += ms) });
});

describe("HTTP API", () => {
  it("answers health without a session and everything else with 401", async () => {
    expect((await ctx.app.request("/api/v1/health")).status).toBe(200);
    const res = await ctx.app.request("/api/v1/status");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "log in first" } });
  });

  it("sets an HttpOnly SameSite=Strict cookie and refuses a wrong password", async () => {
    const ok = await login(ctx.app);
    expect(ok.res.headers.get("set-cookie")).toMatch(/HttpOnly/);
    expect(ok.res.headers.get("set-cookie")).toMatch(/SameSite=Strict/);
    const bad = await login(ctx.app, "wrong password");
    expect(bad.res.status).toBe(401);
  });

  it("backs off after repeated failed logins", async () => {
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await login(ctx.app, "nope nope")).res.status);
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    expect((await login(ctx.app)).res.status).toBe(429);
  });

  it("sessions expire", async () => {
    (ctx as unknown as { tick: (ms: number) => void }).tick(60_001);
    expect((await ctx.app.request("/api/v1/status", { headers: { Cookie: ctx.cookie } })).status).toBe(401);
  });

  it("refuses a state change without the CSRF token or from another origin", async () => {
    expect((await post("enable", {}, { "X-CSRF-Token": "" })).status).toBe(403);
    const cross = await post("enable", {}, { Origin: "http://evil.example" });
    expect(cross.status).toBe(403);
    expect(ctx.service.status().enabled).toBe(false);
    expect((await post("enable")).status).toBe(200);
  });

  it("400 names the field and the value, and changes nothing", async () => {
    const before = structuredClone(ctx.repo.config);
    const res = await post("set_settings", { ipv6: "sometimes" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "invalid_input", field: "ipv6", message: 'ipv6: must be one of tunnel, block, got "sometimes"' } });
    const unknown = await post("set_settings", { colour: "blue" });
    expect(((await unknown.json()) as { error: { field: string } }).error.field).toBe("colour");
    const bad = await post("import_config", { text: wgQuick().replace("10.66.0.2/32", "10.66.0.2/99") });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string; message: string } }).error).toMatchObject({ field: "Interface.Address", message: expect.stringContaining('"10.66.0.2/99"') });
    const notJson = await ctx.app.request("/api/v1/enable", { method: "POST", body: "{", headers: { Cookie: ctx.cookie, "X-CSRF-Token": ctx.csrf } });
    expect(notJson.status).toBe(400);
    expect(ctx.repo.config).toEqual(before);
  });

  it("403 with the reason when the policy refuses", async () => {
    await ctx.service.setPolicy({ mode: "required", locked: true }, "admin");
    const res = await post("disable");
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "policy_refused", message: expect.stringMatching(/requires the VPN/) });
    const unlock = await post("set_policy", { mode: "optional" });
    expect(unlock.status).toBe(403);
    await ctx.service.setPolicy({ mode: "forbidden", locked: false }, "admin");
    expect((await post("enable")).status).toBe(403);
  });

  it("imports, lists and exports servers without secrets", async () => {
    const imp = await post("import_config", { text: wgQuick(), name: "Cafe" });
    expect(await imp.json()).toEqual({ added: ["Cafe"], warnings: [] });
    const list = (await (await ctx.app.request("/api/v1/list_servers", { headers: { Cookie: ctx.cookie } })).json()) as { servers: { name: string }[] };
    expect(list.servers.map((s) => s.name)).toEqual(["Cafe"]);
    const exp = (await (await post("export_config")).json()) as { text: string };
    expect(exp.text).toContain("Endpoint = vpn.example.net:51820");
    const everything = JSON.stringify([exp, list, await (await post("status")).json(), await (await post("get_settings")).json()]);
    expect(everything).not.toContain(ctx.repo.config.tunnel.privateKey!);
  });

  it("rejects bodies over 256 KiB", async () => {
    const res = await post("import_config", { text: "x".repeat(300 * 1024) });
    expect(res.status).toBe(400);
  });

  it("sends a status event when a change is applied, not only on the timer", async () => {
    const app = createApp({ service: ctx.service, mode: "web", sessions: ctx.sessions, eventEveryMs: 60_000 });
    const res = await app.request("/api/v1/events", { headers: { Cookie: ctx.cookie } });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const events = async (n: number) => {
      while (text.split("event: status").length - 1 < n) text += (await reader.read()).value ?? "";
      return [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as { settings: { killSwitch: boolean } });
    };
    expect((await events(1))[0]!.settings.killSwitch).toBe(false);
    await ctx.service.setSettings({ killSwitch: true });
    const second = await Promise.race([events(2), new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no event")), 1000))]);
    expect(second[1]!.settings.killSwitch).toBe(true);
    await reader.cancel();
  });

  it("unknown routes get a JSON 404", async () => {
    const res = await ctx.app.request("/api/v1/nothing", { headers: { Cookie: ctx.cookie } });
    expect(res.status).toBe(404);
  });
});

describe("logins with an outside authenticator (OpenWrt: rpcd)", () => {
  it("needs no setup, refuses it, and checks each operation", async () => {
    const fresh = await simService();
    const app = createApp({
      service: fresh.service,
      mode: "web",
      authenticate: async (user, password) => (user === "root" && password === "admin" ? { permission: "write", ref: "sid-1" } : null),
      authorize: async (_ref, op) => op !== "disable",
    });
    expect(await (await app.request("/api/v1/session")).json()).toMatchObject({ authenticated: false, needsSetup: false });
    const setup = await app.request("/api/v1/setup", { method: "POST", body: JSON.stringify({ code: "x", password: "12345678" }) });
    expect(setup.status).toBe(409);
    const res = await app.request("/api/v1/login", { method: "POST", body: JSON.stringify({ username: "root", password: "admin" }) });
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const headers = { Cookie: (res.headers.get("set-cookie") ?? "").split(";")[0]!, "X-CSRF-Token": csrfToken };
    expect((await app.request("/api/v1/enable", { method: "POST", headers })).status).toBe(200);
    const refused = await app.request("/api/v1/disable", { method: "POST", headers });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/ACL/);
  });
});

describe("control socket app", () => {
  it("is admin: may change a locked policy and set the password", async () => {
    const control = createApp({ service: ctx.service, mode: "control" });
    await ctx.service.setPolicy({ mode: "required", locked: true }, "admin");
    const res = await control.request("/api/v1/set_policy", { method: "POST", body: JSON.stringify({ mode: "optional", locked: false }) });
    expect(res.status).toBe(200);
    expect(ctx.service.getPolicy()).toMatchObject({ mode: "optional", locked: false });
    const short = await control.request("/api/v1/passwd", { method: "POST", body: JSON.stringify({ password: "short" }) });
    expect(short.status).toBe(400);
  });
});
