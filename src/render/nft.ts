// Plan -> the nftables ruleset of table `inet enigm_vpn`, as one text that `nft -f` loads in a
// single transaction (replacing the table whole), on OpenWrt beside firewall4 and on any Linux.
// Our base chains run at priority filter - 1 (nat: dstnat/srcnat - 1) and only ever restrict:
// an `accept` here ends our chain, not the verdict of fw4's chains on the same hook.
import { isIP } from "node:net";
import type { Plan } from "../core/plan-types.ts";

export const NFT_FAMILY = "inet";
export const NFT_TABLE = "enigm_vpn";

/** Named sets the daemon may update in place (`nft add element inet enigm_vpn SET { ... }`). */
export const NFT_SETS = {
  endpointsV4: "endpoints_v4",
  endpointsV6: "endpoints_v6",
  bypassDevices: "bypass_devices",
  portalV4: "portal_v4",
  portalV6: "portal_v6",
} as const;

const IFNAME = /^[A-Za-z0-9_.@:+-]{1,15}$/;

function ifname(name: string, field: string): string {
  if (!IFNAME.test(name)) throw new Error(`${field}: not a valid interface name: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** `{ "a", "b" }`, or null for an empty list (nft rejects an empty anonymous set). */
function ifset(names: string[], field: string): string | null {
  return names.length === 0 ? null : `{ ${names.map((n) => ifname(n, field)).join(", ")} }`;
}

function set(name: string, type: string, elements: string[], flags?: string): string[] {
  return [
    `\tset ${name} {`,
    `\t\ttype ${type}`,
    ...(flags ? [`\t\tflags ${flags}`] : []),
    ...(elements.length ? [`\t\telements = { ${elements.join(", ")} }`] : []),
    "\t}",
  ];
}

function chain(name: string, hook: string, rules: string[]): string[] {
  return rules.length === 0 ? [] : [`\tchain ${name} {`, `\t\t${hook}`, ...rules.map((r) => `\t\t${r}`), "\t}"];
}

/** A short stable digest of the ruleset, stored as the table comment so a reader can tell it is ours and current. */
export function rulesetTag(body: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < body.length; i++) h = Math.imul(h ^ body.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

export function renderNftRuleset(plan: Plan): string {
  const fw = plan.firewall;
  const tun = ifname(fw.tunnelIface, "firewall.tunnelIface");
  const lan = ifset(fw.lanIfaces, "firewall.lanIfaces");
  const ownIfaces = ifset(["lo", ...fw.lanIfaces, fw.tunnelIface], "firewall.lanIfaces");
  const tunnelUp = plan.tunnel !== null;

  const endpoints = { 4: [] as string[], 6: [] as string[] };
  for (const e of fw.endpoints) {
    const family = isIP(e.addr);
    if (family === 0) throw new Error(`firewall.endpoints: not an IP address: ${JSON.stringify(e.addr)}`);
    if (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535) throw new Error(`firewall.endpoints: not a port: ${JSON.stringify(e.port)}`);
    endpoints[family as 4 | 6].push(`${e.addr} . ${e.port}`);
  }

  // LAN traffic that would be routed; with no LAN interface known, every forwarded packet counts as LAN (fail closed).
  const forward: string[] = [];
  if (tunnelUp) forward.push(`oifname ${tun} tcp flags & (syn | rst) == syn tcp option maxseg size set rt mtu`);
  const lanLimits: string[] = [];
  if (fw.dnsProtection) lanLimits.push("meta l4proto { tcp, udp } th dport 853 counter reject comment \"DNS over TLS/QUIC would bypass the router's resolver\"");
  // With a tunnel wanted, LAN IPv6 leaves only through it ("tunnel") or not at all ("block").
  if (tunnelUp && fw.ipv6 === "block") lanLimits.push('meta nfproto ipv6 counter reject comment "IPv6 blocked"');
  const afterTunnel: string[] = [];
  if (tunnelUp && fw.ipv6 === "tunnel") afterTunnel.push('meta nfproto ipv6 counter reject comment "IPv6 only through the tunnel"');
  if (fw.killSwitch) {
    afterTunnel.push(
      `ip daddr @${NFT_SETS.portalV4} tcp dport { 80, 443 } accept`,
      `ip6 daddr @${NFT_SETS.portalV6} tcp dport { 80, 443 } accept`,
      'counter reject with icmpx type admin-prohibited comment "kill switch"',
    );
  }
  if (lanLimits.length > 0 || afterTunnel.length > 0) {
    if (lan) forward.push(`iifname != ${lan} return`, `oifname ${lan} accept`);
    forward.push(`ether saddr @${NFT_SETS.bypassDevices} accept`, ...lanLimits, `oifname ${tun} accept`, ...afterTunnel);
  }

  const output: string[] = [];
  if (fw.killSwitch) {
    output.push(
      `oifname ${ownIfaces} accept`,
      'ct direction reply accept comment "answers to connections from outside, e.g. an admin on the uplink"',
      `ip daddr . udp dport @${NFT_SETS.endpointsV4} accept`,
      `ip6 daddr . udp dport @${NFT_SETS.endpointsV6} accept`,
      "udp sport 68 udp dport 67 accept",
      "udp sport 546 udp dport 547 accept",
      "icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert, mld-listener-report, mld2-listener-report } accept",
      ...(fw.allowRouterDns ? ['meta l4proto { tcp, udp } th dport 53 accept comment "resolve endpoint names"'] : []),
      `ip daddr @${NFT_SETS.portalV4} accept`,
      `ip6 daddr @${NFT_SETS.portalV6} accept`,
      'counter reject with icmpx type admin-prohibited comment "kill switch"',
    );
  }

  const dstnat: string[] = [];
  if (fw.dnsProtection && lan) {
    dstnat.push(`iifname ${lan} ether saddr != @${NFT_SETS.bypassDevices} meta l4proto { tcp, udp } th dport 53 fib daddr type != local counter redirect to :53`);
  }

  const prerouting: string[] = [];
  if (tunnelUp && lan) prerouting.push(`iifname ${lan} ether saddr @${NFT_SETS.bypassDevices} meta mark set ${hex(plan.tunnel!.fwmark)}`);

  const srcnat = tunnelUp ? [`oifname ${tun} masquerade`] : [];

  const body = [
    ...set(NFT_SETS.endpointsV4, "ipv4_addr . inet_service", endpoints[4]),
    ...set(NFT_SETS.endpointsV6, "ipv6_addr . inet_service", endpoints[6]),
    ...set(NFT_SETS.bypassDevices, "ether_addr", []),
    ...set(NFT_SETS.portalV4, "ipv4_addr", [], "interval"),
    ...set(NFT_SETS.portalV6, "ipv6_addr", [], "interval"),
    ...chain("mark_bypass", "type filter hook prerouting priority mangle - 1; policy accept;", prerouting),
    ...chain("dns_redirect", "type nat hook prerouting priority dstnat - 1; policy accept;", dstnat),
    ...chain("forward_guard", "type filter hook forward priority filter - 1; policy accept;", forward),
    ...chain("output_guard", "type filter hook output priority filter - 1; policy accept;", output),
    ...chain("tunnel_nat", "type nat hook postrouting priority srcnat - 1; policy accept;", srcnat),
  ].join("\n");

  return [
    "# enigm-vpn firewall, generated: do not edit. Load with `nft -f FILE` (replaces the table whole).",
    `table ${NFT_FAMILY} ${NFT_TABLE} {}`,
    `delete table ${NFT_FAMILY} ${NFT_TABLE}`,
    `table ${NFT_FAMILY} ${NFT_TABLE} {`,
    `\tcomment "enigm-vpn ${rulesetTag(body)}"`,
    body,
    "}",
    "",
  ].join("\n");
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
