import type { Plan } from "../../src/core/plan-types.ts";

export const PRIVATE_KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
export const PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

export function samplePlan(overrides: { ipv6?: "tunnel" | "block"; dns?: string[] } = {}): Plan {
  const ipv6 = overrides.ipv6 ?? "tunnel";
  const dns = overrides.dns ?? ["10.64.0.1", "fd00:64::1"];
  return {
    tunnel: {
      ifname: "enigm_vpn",
      privateKey: PRIVATE_KEY,
      addresses: ["10.64.0.2/32", "fd00:64::2/128"],
      dns,
      mtu: 1420,
      fwmark: 0xe4e0,
      peer: {
        name: "Frankfurt 1",
        publicKey: "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=",
        presharedKey: PSK,
        endpointHost: "fra1.vpn.example.net",
        endpointPort: 51820,
        endpointAddrs: ["203.0.113.7"],
        allowedIps: ["0.0.0.0/0", "::/0"],
        keepalive: 25,
      },
    },
    firewall: {
      killSwitch: true,
      dnsProtection: true,
      ipv6,
      lanIfaces: ["br-lan"],
      wanIfaces: ["eth1"],
      tunnelIface: "enigm_vpn",
      endpoints: [{ addr: "203.0.113.7", port: 51820 }],
      allowRouterDns: true,
    },
    dnsUpstreams: dns,
  };
}
