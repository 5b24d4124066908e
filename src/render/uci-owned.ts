// What in /etc/config/{network,dhcp} belongs to enigm-vpn: named sections whose name starts
// with `enigm_vpn` (and the WireGuard peer sections of our interface, whose *type* carries
// the interface name). Everything else is the user's and is never touched.
import type { UciPackage, UciSection } from "../uci/types.ts";

export const OWN_PREFIX = "enigm_vpn";

/**
 * netifd's wireguard handler names the kernel link after the UCI interface section, so on
 * OpenWrt the plan's tunnel ifname must be this (or another `enigm_vpn…` name).
 */
export const OPENWRT_TUNNEL_IFNAME = OWN_PREFIX;

export function isOurs(s: UciSection): boolean {
  return (!s.anonymous && s.name.startsWith(OWN_PREFIX)) || s.type.startsWith(`wireguard_${OWN_PREFIX}`);
}

export function withoutOurs(pkg: UciPackage): UciPackage {
  return { name: pkg.name, sections: pkg.sections.filter((s) => !isOurs(s)) };
}
