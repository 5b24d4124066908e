// Which netifd action a change to /etc/config/network needs. Pure.
import type { UciPackage, UciSection } from "../../uci/types.ts";
import { isOurs } from "../../render/uci-owned.ts";

export type NetworkAction = "none" | "renew" | "reload";

const key = (s: UciSection) => JSON.stringify([s.type, s.name, [...s.options]]);

/**
 * netifd applies a changed `wireguard_<iface>` peer section only on `renew` of the interface
 * (a `network reload` ignores it); anything else of ours needs a reload.
 */
export function networkAction(before: UciPackage, after: UciPackage, ifname: string): NetworkAction {
  const ours = (p: UciPackage) => p.sections.filter(isOurs);
  const a = ours(before).map(key).sort();
  const b = ours(after).map(key).sort();
  if (JSON.stringify(a) === JSON.stringify(b)) return "none";
  const notPeer = (k: string) => !k.startsWith(`["wireguard_${ifname}"`);
  return JSON.stringify(a.filter(notPeer)) === JSON.stringify(b.filter(notPeer)) ? "renew" : "reload";
}
