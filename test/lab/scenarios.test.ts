// The leak scenarios of issue 5 against real WireGuard, nftables and dnsmasq in namespaces,
// driving the Linux platform directly. Every scenario captures on the router's uplink.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LinuxPlatform } from "../../src/platform/linux/index.ts";
import type { Request } from "./agent.ts";
import { ATTEMPT_WINDOW_MS, attempt, until } from "./attempts.ts";
import { isRoot, must, run } from "./exec.ts";
import { ADDR, type Agent, type CaptureResult, Lab, PROBE_NAME, PUBLIC_ANSWER, TUNNEL_ANSWER } from "./topology.ts";

function noLeaks(c: CaptureResult): void {
  expect(c.lanOriginated).toEqual([]);
  expect(c.leaked).toEqual([]);
  expect(c.dns).toEqual([]);
}

describe.skipIf(!isRoot)("lab: leaks counted on the uplink (real WireGuard, nftables, dnsmasq)", () => {
  let lab: Lab;
  let platform: LinuxPlatform;
  let c1: Agent;
  let c2: Agent;
  const leakedTotal: number[] = [];

  beforeAll(async () => {
    lab = await Lab.create();
    platform = lab.platform();
    c1 = await lab.agent(lab.ns.c1);
    c2 = await lab.agent(lab.ns.c2);
  }, 60_000);

  afterAll(async () => {
    await lab?.destroy();
  }, 30_000);

  it("5: VPN off under optional policy: the LAN goes direct and keeps working", async () => {
    await platform.apply(lab.plan({ tunnel: false }));
    const r = await c1.ask({ op: "http", url: `http://${ADDR.web4}/`, timeoutMs: 2000 });
    expect(r).toEqual({ ok: true, value: `200 hello ${ADDR.c1v4}` });
    expect(await c2.ask({ op: "http", url: `http://[${ADDR.web6}]/`, timeoutMs: 2000 })).toEqual({ ok: true, value: `200 hello ${ADDR.c2v6}` });
    expect(await c1.ask({ op: "dns", server: ADDR.publicDns4, name: PROBE_NAME, type: "A", timeoutMs: 2000 })).toEqual({ ok: true, value: PUBLIC_ANSWER });
    expect(await platform.stats()).toBeNull();
  }, 30_000);

  it("1: VPN on: HTTP and DNS through the tunnel, the uplink carries only WireGuard", async () => {
    const cap = await lab.capture();
    await platform.apply(lab.plan());
    const http = await until("HTTP through the tunnel", () => c1.ask({ op: "http", url: `http://${ADDR.web4}/`, timeoutMs: 1000 }));
    expect(http).toEqual({ ok: true, value: `200 hello ${ADDR.tunnelClient4}` });
    expect(await c2.ask({ op: "dns", server: ADDR.router4, name: PROBE_NAME, type: "A", timeoutMs: 2000 })).toEqual({ ok: true, value: TUNNEL_ANSWER });
    const stats = await platform.stats();
    expect(stats?.lastHandshakeMs).toBeGreaterThan(Date.now() - 60_000);
    expect(stats?.endpoint).toBe(`${ADDR.endpoint}:${ADDR.endpointPort}`);
    expect(await platform.probe(lab.plan())).toMatchObject({ ok: true });
    expect(await platform.firewallIntact()).toBe(true);
    const c = await cap.stop();
    expect(c.wireguard).toBeGreaterThan(0);
    noLeaks(c);
    leakedTotal.push(c.leaked.length);
  }, 30_000);

  it("6: DNS aimed at a WAN resolver is answered through the tunnel; no port-53 packet on the uplink", async () => {
    await platform.apply(lab.plan());
    const cap = await lab.capture();
    for (const req of [
      { op: "dns", server: ADDR.publicDns4, name: PROBE_NAME, type: "A", timeoutMs: 2000 },
      { op: "dns", server: ADDR.publicDns4, name: PROBE_NAME, type: "A", timeoutMs: 2000, tcp: true },
      { op: "dns", server: ADDR.publicDns6, name: PROBE_NAME, type: "A", timeoutMs: 2000 },
    ] as Request[]) {
      expect(await c1.ask(req)).toEqual({ ok: true, value: TUNNEL_ANSWER });
    }
    expect(await c1.ask({ op: "tcp", host: ADDR.publicDns4, port: 853, timeoutMs: 1000 })).toMatchObject({ ok: false });
    const c = await cap.stop();
    noLeaks(c);
    leakedTotal.push(c.leaked.length);
  }, 30_000);

  it("7: IPv6 from the LAN leaves only through the tunnel (mode tunnel) or not at all (mode block)", async () => {
    const cap = await lab.capture();
    await platform.apply(lab.plan({ ipv6: "tunnel" }));
    expect(await until("IPv6 through the tunnel", () => c1.ask({ op: "http", url: `http://[${ADDR.web6}]/`, timeoutMs: 1000 }))).toEqual({ ok: true, value: `200 hello ${ADDR.tunnelClient6}` });
    await platform.apply(lab.plan({ ipv6: "block" }));
    expect(await c1.ask({ op: "http", url: `http://[${ADDR.web6}]/`, timeoutMs: 1000 })).toMatchObject({ ok: false });
    expect(await c2.ask({ op: "ping", host: ADDR.web6, timeoutMs: 1000 })).toMatchObject({ ok: false });
    expect(await c1.ask({ op: "http", url: `http://${ADDR.web4}/`, timeoutMs: 2000 })).toEqual({ ok: true, value: `200 hello ${ADDR.tunnelClient4}` });
    const c = await cap.stop();
    expect(c.lines.filter((l) => / IP6 (?!fe80:)/.test(l) && !/ICMP6, (neighbor|router|multicast)/.test(l))).toEqual([]);
    noLeaks(c);
    leakedTotal.push(c.leaked.length);
  }, 30_000);

  it("2: kill switch on, WireGuard server killed, then the router's own wireguard-go too: 0 leaked", async () => {
    await platform.apply(lab.plan({ killSwitch: true }));
    await until("HTTP through the tunnel", () => c1.ask({ op: "http", url: `http://${ADDR.web4}/`, timeoutMs: 1000 }));
    const cap = await lab.capture();
    await lab.killWgServer();
    try {
      const serverDead = await attempt([c1, c2], ATTEMPT_WINDOW_MS);
      expect(serverDead.answered).toEqual([]);
      // The router's tunnel link disappears as well: routes through it go with it.
      const pid = Number((await readFile(join(lab.dir, "router", "wireguard-go.pid"), "utf8")).trim());
      process.kill(pid, "SIGKILL");
      const linkGone = await attempt([c1, c2], ATTEMPT_WINDOW_MS);
      expect(linkGone.answered).toEqual([]);
      expect(serverDead.total + linkGone.total).toBeGreaterThan(40);
      const c = await cap.stop();
      noLeaks(c);
      leakedTotal.push(c.leaked.length);
    } finally {
      await lab.startWgServer();
    }
    // Re-applying notices the dead link and brings the tunnel back.
    await platform.apply(lab.plan({ killSwitch: true }));
    expect(await until("HTTP after recovery", () => c1.ask({ op: "http", url: `http://${ADDR.web4}/`, timeoutMs: 1000 }))).toMatchObject({ ok: true });
  }, 60_000);

  it("4: boot: the saved ruleset alone (plain nft -f, no Node, no tunnel) leaks nothing", async () => {
    await platform.apply(lab.plan({ killSwitch: true }));
    await platform.close();
    const saved = join(lab.dir, "router", "firewall.nft");
    expect((await stat(saved)).mode & 0o777).toBe(0o600);
    // A "reboot": no table, no tunnel, no policy rules. First show that the lab would see a leak.
    const router = lab.ns.router;
    await must(["ip", "netns", "exec", router, "nft", "delete", "table", "inet", "enigm_vpn"]);
    for (const f of ["-4", "-6"]) for (const prio of ["5210", "5211"]) await run(["ip", "netns", "exec", router, "ip", f, "rule", "del", "priority", prio]);
    const control = await lab.capture();
    expect(await c1.ask({ op: "http", url: `http://${ADDR.web4}/`, timeoutMs: 2000 })).toEqual({ ok: true, value: `200 hello ${ADDR.c1v4}` });
    expect((await control.stop()).lanOriginated.length).toBeGreaterThan(0);

    await must(["ip", "netns", "exec", router, "nft", "-f", saved]);
    const cap = await lab.capture();
    const r = await attempt([c1, c2], ATTEMPT_WINDOW_MS);
    expect(r.answered).toEqual([]);
    const c = await cap.stop();
    noLeaks(c);
    leakedTotal.push(c.leaked.length);

    // The daemon comes back: the tunnel returns under the same rules.
    platform = lab.platform();
    await platform.apply(lab.plan({ killSwitch: true }));
    expect(await until("HTTP after boot", () => c1.ask({ op: "http", url: `http://${ADDR.web4}/`, timeoutMs: 1000 }))).toMatchObject({ ok: true });
  }, 60_000);

  it("a removed table or a flushed chain is noticed and a re-apply restores it; counters do not count", async () => {
    const nft = (...args: string[]) => must(["ip", "netns", "exec", lab.ns.router, "nft", ...args]);
    expect(await platform.firewallIntact()).toBe(true);
    await nft("delete", "table", "inet", "enigm_vpn");
    expect(await platform.firewallIntact()).toBe(false);
    await platform.apply(lab.plan({ killSwitch: true }));
    await c1.ask({ op: "tcp", host: ADDR.publicDns4, port: 853, timeoutMs: 500 }); // bumps a counter
    expect(await platform.firewallIntact()).toBe(true);
    await nft("flush", "chain", "inet", "enigm_vpn", "forward_guard");
    expect(await platform.firewallIntact()).toBe(false);
    await platform.apply(lab.plan({ killSwitch: true }));
    expect(await platform.firewallIntact()).toBe(true);
    expect(leakedTotal.reduce((a, b) => a + b, 0)).toBe(0);
  }, 30_000);
});
