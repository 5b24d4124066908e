// Hand-made plans for the ruleset renderer and the adapter tests (keys are test-only).
import type { Plan, PlanTunnel } from "../../src/core/plan-types.ts";
import { TUNNEL_FWMARK } from "../../src/core/plan.ts";

export const TEST_PRIVATE_KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
export const TEST_PEER_KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

export function tunnel(over: Partial<PlanTunnel> = {}): PlanTunnel {
  return {
    ifname: "envpn0",
    privateKey: TEST_PRIVATE_KEY,
    addresses: ["10.66.0.2/32", "fd66::2/128"],
    dns: ["10.66.0.1"],
    mtu: 1420,
    fwmark: TUNNEL_FWMARK,
    peer: {
      name: "lab",
      publicKey: TEST_PEER_KEY,
      endpointHost: "192.0.2.1",
      endpointPort: 51820,
      endpointAddrs: ["192.0.2.1"],
      allowedIps: ["0.0.0.0/0", "::/0"],
      keepalive: 25,
    },
    ...over,
  };
}

export interface PlanOptions {
  tunnel?: PlanTunnel | null;
  killSwitch?: boolean;
  dnsProtection?: boolean;
  ipv6?: "tunnel" | "block";
  lanIfaces?: string[];
  wanIfaces?: string[];
  allowRouterDns?: boolean;
}

/** A plan the way buildPlan would shape it: endpoints and DNS upstreams follow the tunnel. */
export function plan(o: PlanOptions = {}): Plan {
  const t = o.tunnel === undefined ? tunnel() : o.tunnel;
  const dnsProtection = o.dnsProtection ?? t !== null;
  return {
    tunnel: t,
    firewall: {
      killSwitch: o.killSwitch ?? false,
      dnsProtection,
      ipv6: o.ipv6 ?? "block",
      lanIfaces: o.lanIfaces ?? ["br-lan"],
      wanIfaces: o.wanIfaces ?? ["eth1"],
      tunnelIface: t?.ifname ?? "envpn0",
      endpoints: t ? t.peer.endpointAddrs.map((addr) => ({ addr, port: t.peer.endpointPort })) : [],
      allowRouterDns: o.allowRouterDns ?? false,
    },
    dnsUpstreams: t && dnsProtection ? t.dns : [],
  };
}
