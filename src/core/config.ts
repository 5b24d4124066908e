// The configuration model of /etc/config/enigm-vpn and its validation.
import * as v from "valibot";
import * as s from "./schema.ts";

export type PolicyMode = v.InferOutput<typeof s.policyMode>;
export type Ipv6Mode = v.InferOutput<typeof s.ipv6Mode>;

export const settingsSchema = v.strictObject({
  enabled: s.bool,
  killSwitch: s.bool,
  dnsProtection: s.bool,
  ipv6: s.ipv6Mode,
});
export type Settings = v.InferOutput<typeof settingsSchema>;

export const policySchema = v.strictObject({ mode: s.policyMode, locked: s.bool });
export type Policy = v.InferOutput<typeof policySchema>;

export const tunnelSchema = v.strictObject({
  privateKey: v.nullable(s.wgKey),
  addresses: s.list(s.cidr, 8),
  dns: s.list(s.ipAddress, 8),
  mtu: s.mtu,
  listenPort: v.nullable(s.port),
});
export type Tunnel = v.InferOutput<typeof tunnelSchema>;

export const serverSchema = v.strictObject({
  name: s.serverName,
  endpointHost: s.host,
  endpointPort: s.port,
  publicKey: s.wgKey,
  presharedKey: v.nullable(s.wgKey),
  allowedIps: v.pipe(s.list(s.cidr, 64), v.minLength(1, "must list at least one prefix")),
  keepalive: v.nullable(s.keepalive),
});
export type Server = v.InferOutput<typeof serverSchema>;

export const configSchema = v.strictObject({
  settings: settingsSchema,
  policy: policySchema,
  tunnel: tunnelSchema,
  servers: s.list(serverSchema, 64),
  web: v.strictObject({ passwordHash: v.nullable(v.string()) }),
});
export type Config = v.InferOutput<typeof configSchema>;

export const DEFAULT_MTU = 1420;

export function defaultConfig(): Config {
  return {
    settings: { enabled: false, killSwitch: false, dnsProtection: true, ipv6: "block" },
    policy: { mode: "optional", locked: false },
    tunnel: { privateKey: null, addresses: [], dns: [], mtu: DEFAULT_MTU, listenPort: null },
    servers: [],
    web: { passwordHash: null },
  };
}

/** Whole-config checks beyond single fields; returns the config or throws an ApiError. */
export function validateConfig(input: unknown): Config {
  const config = s.parseOrThrow(configSchema, input);
  const seen = new Set<string>();
  config.servers.forEach((server, i) => {
    if (seen.has(server.name)) throw s.duplicate(`servers.${i}.name`, server.name);
    seen.add(server.name);
  });
  return config;
}
