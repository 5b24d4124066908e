// Human-readable output of the CLI. Pure: data in, text out.
import { STATE_LABEL } from "../core/state-labels.ts";
import { age, bytes } from "../core/units.ts";
import type { ServerView, Status } from "../service/vpn-service.ts";


export function formatStatus(s: Status, now: number): string {
  const rows: [string, string][] = [
    ["state", STATE_LABEL[s.state]],
    ["reason", s.reason],
    ["policy", `${s.policy.mode}${s.policy.locked ? " (locked)" : ""}`],
    ["kill switch", s.effective.killSwitch ? "on" : "off"],
    ["server", s.server ? `${s.server.name} (${s.server.endpoint})` : "-"],
    ["handshake", s.lastHandshakeMs ? age(now - s.lastHandshakeMs) : "none"],
    ["transfer", `${bytes(s.rxBytes)} received, ${bytes(s.txBytes)} sent`],
  ];
  if (s.exitAddress) rows.push(["exit address", s.exitAddress]);
  if (s.publicKey) rows.push(["public key", s.publicKey]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}

export function formatServers(servers: ServerView[]): string {
  if (servers.length === 0) return "no servers; add one with: enigm-vpn import FILE";
  return servers.map((s, i) => `${i}${s.active ? "*" : " "} ${s.name}  ${s.endpoint}  ${s.publicKey}`).join("\n");
}
