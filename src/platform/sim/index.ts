// The built-in simulator: an in-memory router whose tunnel handshakes after a short delay,
// counts bytes and can be told to fail, so every state can be shown (npm start) and tested.
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import type { Plan } from "../../core/plan-types.ts";
import type { NetworkFacts, Platform, ProbeResult, TunnelStats } from "../types.ts";

export type SimFault = "handshake" | "probe" | "apply" | "resolve";

export interface SimOptions {
  handshakeDelayMs?: number;
  now?: () => number;
  lanClients?: number;
}

/** A name resolves to a stable address in 203.0.113.0/24 (documentation range). */
function fakeAddress(host: string): string {
  return `203.0.113.${(createHash("sha256").update(host).digest()[0]! % 250) + 1}`;
}

function describe(plan: Plan): string[] {
  const f = plan.firewall;
  const lines = [
    `nft table inet enigm_vpn kill_switch=${f.killSwitch ? "on" : "off"} dns=${f.dnsProtection ? "on" : "off"} ipv6=${f.ipv6} endpoints=${f.endpoints.map((e) => `${e.addr}:${e.port}`).join(",") || "-"}`,
  ];
  const t = plan.tunnel;
  if (t) {
    lines.push(`link ${t.ifname} up mtu ${t.mtu} addresses ${t.addresses.join(",")}`);
    lines.push(`wg ${t.ifname} peer ${t.peer.publicKey} endpoint ${t.peer.endpointHost}:${t.peer.endpointPort} allowed_ips ${t.peer.allowedIps.join(",")}${t.peer.presharedKey ? " psk" : ""}`);
  } else {
    lines.push("link down");
  }
  lines.push(`dns upstreams ${plan.dnsUpstreams.join(",") || "uplink"}`);
  return lines;
}

export class SimPlatform implements Platform {
  readonly name = "sim";
  /** What the simulator would have run, one canonical line per step, secrets left out. */
  readonly transcript: string[] = [];
  private faults = new Set<SimFault>();
  private tunnel: { key: string; upAt: number } | null = null;
  private firewallLoaded = false;
  private readonly now: () => number;
  private readonly delay: number;

  constructor(private readonly opts: SimOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.delay = opts.handshakeDelayMs ?? 1500;
  }

  fail(fault: SimFault, on = true): void {
    if (on) this.faults.add(fault);
    else this.faults.delete(fault);
  }

  /** Like `fw4 flush`/`nft delete table`: the daemon must notice and repair it. */
  dropFirewall(): void {
    this.firewallLoaded = false;
  }

  async facts(): Promise<NetworkFacts> {
    return { lanIfaces: ["br-lan"], wanIfaces: ["wan"], lanClients: this.opts.lanClients ?? 3 };
  }

  async resolve(host: string): Promise<string[]> {
    if (this.faults.has("resolve")) throw new Error(`simulated DNS failure for ${host}`);
    return isIP(host) ? [host] : [fakeAddress(host)];
  }

  async apply(plan: Plan): Promise<void> {
    if (this.faults.has("apply")) throw new Error("simulated apply failure");
    this.transcript.push(...describe(plan));
    this.firewallLoaded = true;
    const key = plan.tunnel ? JSON.stringify(plan.tunnel) : null;
    if (key === null) this.tunnel = null;
    else if (this.tunnel?.key !== key) this.tunnel = { key, upAt: this.now() };
  }

  async stats(): Promise<TunnelStats | null> {
    if (!this.tunnel) return null;
    const t = this.tunnel;
    const up = this.now() - t.upAt;
    if (this.faults.has("handshake") || up < this.delay) return { lastHandshakeMs: null, rxBytes: 0, txBytes: Math.floor(up / 5000) * 148, endpoint: null };
    const seconds = (up - this.delay) / 1000;
    const plan = JSON.parse(t.key) as NonNullable<Plan["tunnel"]>;
    // Handshakes renew every two minutes while traffic flows, as WireGuard's do.
    const lastHandshakeMs = t.upAt + this.delay + Math.floor(seconds / 120) * 120_000;
    return { lastHandshakeMs, rxBytes: Math.floor(seconds * 48_000), txBytes: Math.floor(seconds * 9_000), endpoint: `${plan.peer.endpointAddrs[0] ?? plan.peer.endpointHost}:${plan.peer.endpointPort}` };
  }

  async probe(plan: Plan): Promise<ProbeResult> {
    if (!plan.tunnel || this.faults.has("probe")) return { ok: false, detail: "simulated probe failure" };
    return { ok: true, exitAddress: plan.tunnel.peer.endpointAddrs[0] ?? "203.0.113.1" };
  }

  async firewallIntact(): Promise<boolean> {
    return this.firewallLoaded;
  }

  async close(): Promise<void> {
    this.tunnel = null;
  }
}
