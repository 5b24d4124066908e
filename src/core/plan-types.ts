// The desired state of the router, computed from config + policy + facts by buildPlan().
// Renderers (nft, UCI, wg setconf) and platform adapters take a Plan and nothing else.
import type { Ipv6Mode } from "./config.ts";

export interface PlanPeer {
  /** Server name from the config (for logs and status only). */
  name: string;
  publicKey: string;
  presharedKey?: string;
  endpointHost: string;
  endpointPort: number;
  /** Resolved endpoint addresses (IPv4 and/or IPv6), the only WAN targets the router may use when the kill switch is on. */
  endpointAddrs: string[];
  allowedIps: string[];
  keepalive?: number;
}

export interface PlanTunnel {
  /** Kernel / UCI interface name, e.g. "envpn0" (UCI section name on OpenWrt: "enigm_vpn"). */
  ifname: string;
  privateKey: string;
  addresses: string[];
  dns: string[];
  mtu: number;
  listenPort?: number;
  /** Marks the tunnel's own encrypted packets so policy routing keeps them off the tunnel. */
  fwmark: number;
  peer: PlanPeer;
}

export interface PlanFirewall {
  /** Drop LAN traffic and router output that would leave other than through the tunnel. */
  killSwitch: boolean;
  /** Redirect LAN DNS (53, and drop DoT 853) to the router; the router forwards only through the tunnel. */
  dnsProtection: boolean;
  ipv6: Ipv6Mode;
  lanIfaces: string[];
  wanIfaces: string[];
  tunnelIface: string;
  /** WireGuard endpoints the router may reach on the uplink: address + UDP port. */
  endpoints: { addr: string; port: number }[];
  /** Let the router resolve endpoint hostnames on the uplink (only when some endpoint is a name). */
  allowRouterDns: boolean;
}

export interface Plan {
  /** Tunnel wanted and allowed; null means no tunnel (off, forbidden, or no usable server). */
  tunnel: PlanTunnel | null;
  /** Always present: with the VPN off and no kill switch the table still exists with accept-all policy. */
  firewall: PlanFirewall;
  /** Upstream resolvers for the LAN resolver: tunnel DNS when protected, else empty (use the uplink's). */
  dnsUpstreams: string[];
}
