// Human-readable output of the CLI. Pure: data in, text out.
import type { ServerView, Status } from "../service/vpn-service.ts";

const LABEL: Record<Status["state"], string> = {
  off: "Off",
  connecting: "Connecting",
  protected: "Protected",
  degraded: "Degraded",
  unprotected: "Not protected",
  blocked: "Blocked: waiting for the VPN",
  not_allowed: "Not allowed by policy",
};

export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let x = n;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${i === 0 ? x : x.toFixed(1)} ${units[i]}`;
}

export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s ago`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min ago`;
}

export function formatStatus(s: Status, now: number): string {
  const rows: [string, string][] = [
    ["state", LABEL[s.state]],
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
