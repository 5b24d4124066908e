// The LAN resolver: dnsmasq answering on the LAN interfaces only. With DNS protection on it
// forwards only to the tunnel's resolvers (reached through the tunnel by policy routing) and
// never reads the uplink's resolv.conf; otherwise it forwards to the uplink's resolvers.
import type { Command } from "./exec.ts";

export interface DnsmasqSpec {
  lanIfaces: string[];
  upstreams: string[];
  pidFile: string;
  /** Used only when there are no tunnel upstreams. */
  resolvFile: string;
}

export function renderDnsmasqConf(s: DnsmasqSpec): string {
  return [
    "# enigm-vpn LAN resolver, generated: do not edit",
    "port=53",
    "bind-dynamic",
    ...s.lanIfaces.map((i) => `interface=${i}`),
    "no-hosts",
    "cache-size=1000",
    `pid-file=${s.pidFile}`,
    ...(s.upstreams.length > 0 ? ["no-resolv", "strict-order", ...s.upstreams.map((u) => `server=${u}`)] : [`resolv-file=${s.resolvFile}`]),
    "",
  ].join("\n");
}

export function dnsmasqCommand(confFile: string): Command {
  return { argv: ["dnsmasq", "--keep-in-foreground", `--conf-file=${confFile}`] };
}
