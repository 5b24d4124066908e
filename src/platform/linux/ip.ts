// Links, addresses and policy routing for the tunnel, as pure command lists. Like wg-quick,
// everything not carrying the tunnel's fwmark is looked up in our own table first:
//   RULE_PRIORITY     iif lo lookup main suppress_prefixlength 0   the router's own on-link traffic (DHCP, the uplink's gateway)
//   RULE_PRIORITY+1   not fwmark M lookup T                        the rest, LAN included, goes to T
// T holds the peer's allowed IPs via the tunnel and `throw` routes for the LAN prefixes (so
// answers reach the LAN); with the kill switch on, an unreachable default so nothing falls
// back to the uplink when the tunnel link disappears. WireGuard's own packets carry the mark.
import type { PlanTunnel } from "../../core/plan-types.ts";
import type { Command } from "./exec.ts";

export const RULE_PRIORITY = 5210;
const FAMILIES = ["-4", "-6"] as const;

const familyOf = (prefix: string) => (prefix.includes(":") ? "-6" : "-4");

export function linkAddKernelCommand(ifname: string): Command {
  return { argv: ["ip", "link", "add", ifname, "type", "wireguard"] };
}

export function linkShowCommand(ifname: string): Command {
  return { argv: ["ip", "-j", "link", "show", "dev", ifname] };
}

export function linkDelCommand(ifname: string): Command {
  return { argv: ["ip", "link", "del", "dev", ifname] };
}

/** Addresses and MTU of an existing link, then up. */
export function linkConfigCommands(t: PlanTunnel): Command[] {
  return [
    { argv: ["ip", "address", "flush", "dev", t.ifname] },
    ...t.addresses.map((a) => ({ argv: ["ip", familyOf(a), "address", "add", a, "dev", t.ifname] })),
    { argv: ["ip", "link", "set", "dev", t.ifname, "mtu", String(t.mtu), "up"] },
  ];
}

/** Prefixes the LAN interfaces reach directly, from `ip -j route show table main dev IF` (both families). */
export function lanRoutesCommands(lanIfaces: string[]): Command[] {
  return lanIfaces.flatMap((dev) => FAMILIES.map((f) => ({ argv: ["ip", f, "-j", "route", "show", "table", "main", "dev", dev] })));
}

export function parseRoutePrefixes(json: string): string[] {
  const routes = JSON.parse(json || "[]") as { dst?: string; type?: string }[];
  return routes.map((r) => r.dst).filter((d): d is string => d !== undefined && d !== "default" && !d.startsWith("fe80:") && !d.startsWith("ff00:") && !d.includes("multicast"));
}

export interface RoutingSpec {
  table: number;
  fwmark: number;
  ifname: string;
  allowedIps: string[];
  lanPrefixes: string[];
  killSwitch: boolean;
}

export function routingCommands(r: RoutingSpec): Command[] {
  const table = String(r.table);
  const routes: Command[] = [
    ...r.lanPrefixes.map((p) => ({ argv: ["ip", familyOf(p), "route", "replace", "throw", p, "table", table] })),
    ...r.allowedIps.map((p) => ({ argv: ["ip", familyOf(p), "route", "replace", p, "dev", r.ifname, "table", table] })),
    ...(r.killSwitch ? FAMILIES.map((f) => ({ argv: ["ip", f, "route", "replace", "unreachable", "default", "metric", "4278198272", "table", table] })) : []),
  ];
  const rules = FAMILIES.flatMap((f) => [
    { argv: ["ip", f, "rule", "add", "priority", String(RULE_PRIORITY), "iif", "lo", "table", "main", "suppress_prefixlength", "0"] },
    { argv: ["ip", f, "rule", "add", "priority", String(RULE_PRIORITY + 1), "not", "fwmark", `0x${r.fwmark.toString(16)}`, "table", table] },
  ]);
  return [...routes, ...rules];
}

/** Undo routingCommands whatever state it left; failures (nothing to delete) are expected. */
export function routingTeardownCommands(table: number): Command[] {
  return FAMILIES.flatMap((f) => [
    { argv: ["ip", f, "rule", "del", "priority", String(RULE_PRIORITY)] },
    { argv: ["ip", f, "rule", "del", "priority", String(RULE_PRIORITY + 1)] },
    { argv: ["ip", f, "route", "flush", "table", String(table)] },
  ]);
}
