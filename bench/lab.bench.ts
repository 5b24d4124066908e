// The namespace lab, measured: how long from "enable" to the first LAN fetch through the
// tunnel (median of several runs), and how many packets leak on the uplink (must be 0).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ATTEMPT_WINDOW_MS, attempt, until } from "../test/lab/attempts.ts";
import { isRoot, must } from "../test/lab/exec.ts";
import { ADDR, Lab } from "../test/lab/topology.ts";
import { median } from "./support.ts";

const RUNS = 5;

export default async function () {
  if (!isRoot) return { enable_to_first_packet_ms: "needs root", leaked_packets: "needs root" };
  const lab = await Lab.create();
  try {
    const platform = lab.platform();
    const c1 = await lab.agent(lab.ns.c1);
    const c2 = await lab.agent(lab.ns.c2);
    const fetchThroughTunnel = async () => {
      const r = await c1.ask({ op: "http", url: `http://${ADDR.web4}/`, timeoutMs: 300 });
      return r.ok && r.value.endsWith(ADDR.tunnelClient4) ? r : { ok: false as const, error: r.ok ? `direct: ${r.value}` : r.error };
    };

    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await platform.apply(lab.plan({ tunnel: false }));
      const t0 = performance.now();
      await platform.apply(lab.plan({ killSwitch: true }));
      await until("first fetch through the tunnel", fetchThroughTunnel, 10_000);
      times.push(performance.now() - t0);
    }

    let leaked = 0;
    // Tunnel up, then its server killed, then the router's own wireguard-go killed.
    const cap = await lab.capture();
    await lab.killWgServer();
    await attempt([c1, c2], ATTEMPT_WINDOW_MS);
    process.kill(Number((await readFile(join(lab.dir, "router", "wireguard-go.pid"), "utf8")).trim()), "SIGKILL");
    await attempt([c1, c2], ATTEMPT_WINDOW_MS);
    leaked += (await cap.stop()).leaked.length;
    // Boot: nothing but the saved ruleset, loaded by plain nft.
    await platform.close();
    const nft = (...args: string[]) => must(["ip", "netns", "exec", lab.ns.router, "nft", ...args]);
    await nft("delete", "table", "inet", "enigm_vpn");
    await nft("-f", join(lab.dir, "router", "firewall.nft"));
    const boot = await lab.capture();
    await attempt([c1, c2], ATTEMPT_WINDOW_MS);
    leaked += (await boot.stop()).leaked.length;
    return { enable_to_first_packet_ms: Math.round(median(times)), leaked_packets: leaked };
  } finally {
    await lab.destroy();
  }
}
