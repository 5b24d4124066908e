// The desired state of the router from config, policy and what the platform knows.
import { isIP } from "node:net";
import type { Config } from "./config.ts";
import type { Plan } from "./plan-types.ts";
import type { Effective } from "./policy.ts";

export type { Plan } from "./plan-types.ts";

export interface PlanFacts {
  lanIfaces: string[];
  wanIfaces: string[];
  tunnelIfname: string;
  /** Addresses the active server's endpoint resolved to. */
  endpointAddrs: string[];
}

/** Marks WireGuard's own UDP packets so policy routing sends them to the uplink, not the tunnel. */
export const TUNNEL_FWMARK = 0xe4e0;

/** Which server the plan uses: the first usable one at or after `index`, wrapping around. */
export function activeServerIndex(config: Config, index: number): number | null {
  const n = config.servers.length;
  return n === 0 ? null : ((index % n) + n) % n;
}

export function buildPlan(config: Config, eff: Effective, serverIndex: number, facts: PlanFacts): Plan {
  const active = activeServerIndex(config, serverIndex);
  const server = active === null ? undefined : config.servers[active];
  const t = config.tunnel;
  const tunnel =
    eff.wanted && server && t.privateKey && t.addresses.length > 0
      ? {
          ifname: facts.tunnelIfname,
          privateKey: t.privateKey,
          addresses: t.addresses,
          dns: t.dns,
          mtu: t.mtu,
          ...(t.listenPort !== null ? { listenPort: t.listenPort } : {}),
          fwmark: TUNNEL_FWMARK,
          peer: {
            name: server.name,
            publicKey: server.publicKey,
            ...(server.presharedKey ? { presharedKey: server.presharedKey } : {}),
            endpointHost: server.endpointHost,
            endpointPort: server.endpointPort,
            endpointAddrs: facts.endpointAddrs,
            allowedIps: server.allowedIps,
            ...(server.keepalive !== null ? { keepalive: server.keepalive } : {}),
          },
        }
      : null;
  const dnsProtection = eff.wanted && (config.settings.dnsProtection || config.policy.mode === "required");
  return {
    tunnel,
    firewall: {
      killSwitch: eff.wanted && eff.killSwitch,
      dnsProtection,
      ipv6: config.settings.ipv6,
      lanIfaces: facts.lanIfaces,
      wanIfaces: facts.wanIfaces,
      tunnelIface: facts.tunnelIfname,
      endpoints: tunnel ? facts.endpointAddrs.map((addr) => ({ addr, port: tunnel.peer.endpointPort })) : [],
      allowRouterDns: tunnel !== null && isIP(tunnel.peer.endpointHost) === 0,
    },
    dnsUpstreams: tunnel && dnsProtection ? tunnel.dns : [],
  };
}
