// Plan -> /etc/config/network: a `proto wireguard` interface for netifd's wireguard handler,
// its peer section (`wireguard_<iface>`), and the routes that send LAN traffic into it.
//
// Routes are explicit `route`/`route6` sections with the default route split in halves
// (0.0.0.0/1 + 128.0.0.0/1, ::/1 + 8000::/1), and the peer keeps route_allowed_ips off:
// - with `allowed_ips 0.0.0.0/0` + route_allowed_ips netifd replaces the uplink's default
//   route and the router stays offline after the tunnel goes away (DESIGN.md);
// - putting the four halves into allowed_ips instead breaks wireguard.sh releases that join
//   allowed_ips with `${ips/ /, }` (only the first space becomes a comma).
// So allowed_ips stays what the server config says (usually 0.0.0.0/0 and ::/0).
import { isIP } from "node:net";
import type { Plan, PlanTunnel } from "../core/plan-types.ts";
import { UciError, quoteValue } from "../uci/errors.ts";
import { namedSection } from "../uci/package.ts";
import type { UciPackage, UciSection } from "../uci/types.ts";
import { OWN_PREFIX, withoutOurs } from "./uci-owned.ts";

const IFNAME = new RegExp(`^${OWN_PREFIX}[a-z0-9_]{0,6}$`);

/** Kernel routes for the tunnel: what the peer may carry, the defaults split in halves. */
export function tunnelRoutes(allowedIps: readonly string[], ipv6: boolean): { family: 4 | 6; target: string }[] {
  const out: { family: 4 | 6; target: string }[] = [];
  for (const cidr of allowedIps) {
    const family = isIP(cidr.split("/")[0] ?? "") === 6 ? 6 : 4;
    if (family === 6 && !ipv6) continue;
    if (cidr === "0.0.0.0/0") out.push({ family, target: "0.0.0.0/1" }, { family, target: "128.0.0.0/1" });
    else if (cidr === "::/0") out.push({ family, target: "::/1" }, { family, target: "8000::/1" });
    else out.push({ family, target: cidr });
  }
  return out;
}

function interfaceSections(t: PlanTunnel, ipv6: boolean): UciSection[] {
  if (!IFNAME.test(t.ifname)) {
    throw new UciError("invalid", `tunnel ifname ${quoteValue(t.ifname)} must start with ${OWN_PREFIX} and fit 15 characters: netifd names the link after the UCI section`, "tunnel.ifname");
  }
  const iface = t.ifname;
  const peer = t.peer;
  const fwmark = t.fwmark ? `0x${t.fwmark.toString(16)}` : undefined;
  return [
    namedSection("interface", iface, [
      ["proto", "wireguard"],
      ["private_key", t.privateKey],
      ["addresses", [...t.addresses]],
      ["mtu", String(t.mtu)],
      ["listen_port", t.listenPort === undefined ? undefined : String(t.listenPort)],
      ["fwmark", fwmark],
    ]),
    namedSection(`wireguard_${iface}`, `${OWN_PREFIX}_peer`, [
      ["description", peer.name],
      ["public_key", peer.publicKey],
      ["preshared_key", peer.presharedKey],
      ["endpoint_host", peer.endpointHost],
      ["endpoint_port", String(peer.endpointPort)],
      ["allowed_ips", [...peer.allowedIps]],
      ["route_allowed_ips", "0"],
      ["persistent_keepalive", peer.keepalive === undefined ? undefined : String(peer.keepalive)],
    ]),
    ...tunnelRoutes(peer.allowedIps, ipv6).map((r, i) =>
      namedSection(r.family === 6 ? "route6" : "route", `${OWN_PREFIX}_route${i}`, [
        ["interface", iface],
        ["target", r.target],
      ]),
    ),
  ];
}

/** Remove everything enigm-vpn added to `network`. */
export function removeOursFromNetwork(network: UciPackage): UciPackage {
  return withoutOurs(network);
}

/** `network` with our sections for this plan (none when the plan has no tunnel). */
export function renderNetwork(network: UciPackage, plan: Plan): UciPackage {
  const base = withoutOurs(network);
  if (!plan.tunnel) return base;
  return { name: base.name, sections: [...base.sections, ...interfaceSections(plan.tunnel, plan.firewall.ipv6 === "tunnel")] };
}
