// Handshake, counters and the in-tunnel probe, read the same way on Linux and OpenWrt.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { Plan } from "../../core/plan-types.ts";
import type { ProbeResult, TunnelStats } from "../types.ts";
import type { Runner } from "./exec.ts";
import { dumpCommand, parseWgDump } from "./wg.ts";

export async function tunnelStats(runner: Runner, ifname: string): Promise<TunnelStats | null> {
  const r = await runner.run(dumpCommand(ifname));
  return r.code === 0 ? parseWgDump(r.stdout) : null;
}

/** One ping to the tunnel's resolver, bound to the tunnel interface. */
export async function probeTunnel(runner: Runner, plan: Plan): Promise<ProbeResult> {
  const t = plan.tunnel;
  if (!t) return { ok: false, detail: "no tunnel" };
  const target = t.dns[0];
  if (!target) return { ok: false, detail: "the tunnel has no resolver address to probe" };
  const r = await runner.run({ argv: ["ping", "-c", "1", "-W", "2", "-I", t.ifname, target] });
  return r.code === 0 ? { ok: true, detail: `${target} answered through ${t.ifname}` } : { ok: false, detail: `no answer from ${target} through ${t.ifname}` };
}

export async function resolveHost(host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  return (await lookup(host, { all: true })).map((a) => a.address);
}
