// /etc/config/enigm-vpn <-> Config. Reading is lenient about what UCI leaves out (defaults
// fill in) and strict about what is there (validateConfig names the section and option).
import type { UciPackage, UciSection, UciValue } from "../uci/types.ts";
import { type Config, defaultConfig, validateConfig } from "./config.ts";
import { ApiError, quote } from "./errors.ts";

type Options = Map<string, UciValue>;

function one(o: Options, key: string): string | undefined {
  const v = o.get(key);
  return Array.isArray(v) ? v[v.length - 1] : v;
}
function many(o: Options, key: string): string[] {
  const v = o.get(key);
  return v === undefined ? [] : Array.isArray(v) ? v : v.split(/\s+/).filter(Boolean);
}
function flag(o: Options, key: string, where: string, fallback: boolean): boolean {
  const v = one(o, key);
  if (v === undefined) return fallback;
  if (["1", "on", "true", "yes", "enabled"].includes(v)) return true;
  if (["0", "off", "false", "no", "disabled"].includes(v)) return false;
  throw new ApiError("invalid_input", `${where}.${key}: must be 0 or 1, got ${quote(v)}`, `${where}.${key}`);
}
function num(o: Options, key: string, where: string): number | null {
  const v = one(o, key);
  if (v === undefined) return null;
  if (!/^\d+$/.test(v)) throw new ApiError("invalid_input", `${where}.${key}: must be a whole number, got ${quote(v)}`, `${where}.${key}`);
  return Number(v);
}

const named = (pkg: UciPackage, type: string, name: string): Options =>
  pkg.sections.find((s) => s.type === type && s.name === name)?.options ?? new Map();

export function configFromUci(pkg: UciPackage): Config {
  const d = defaultConfig();
  const st = named(pkg, "settings", "settings");
  const po = named(pkg, "policy", "policy");
  const tu = named(pkg, "tunnel", "tunnel");
  const web = named(pkg, "web", "web");
  return validateConfig({
    settings: {
      enabled: flag(st, "enabled", "settings", d.settings.enabled),
      killSwitch: flag(st, "kill_switch", "settings", d.settings.killSwitch),
      dnsProtection: flag(st, "dns_protection", "settings", d.settings.dnsProtection),
      ipv6: one(st, "ipv6") ?? d.settings.ipv6,
    },
    policy: { mode: one(po, "mode") ?? d.policy.mode, locked: flag(po, "locked", "policy", d.policy.locked) },
    tunnel: {
      privateKey: one(tu, "private_key") ?? null,
      addresses: many(tu, "addresses"),
      dns: many(tu, "dns"),
      mtu: num(tu, "mtu", "tunnel") ?? d.tunnel.mtu,
      listenPort: num(tu, "listen_port", "tunnel"),
    },
    servers: pkg.sections
      .filter((s) => s.type === "server")
      .map((s, i) => {
        const where = `@server[${i}]`;
        return {
          name: one(s.options, "name") ?? s.name,
          endpointHost: one(s.options, "endpoint_host") ?? "",
          endpointPort: num(s.options, "endpoint_port", where) ?? 51820,
          publicKey: one(s.options, "public_key") ?? "",
          presharedKey: one(s.options, "preshared_key") ?? null,
          allowedIps: many(s.options, "allowed_ips"),
          keepalive: num(s.options, "persistent_keepalive", where),
        };
      }),
    web: { passwordHash: one(web, "password_hash") ?? null },
  });
}

function section(type: string, name: string, anonymous: boolean, entries: [string, UciValue | null | undefined][]): UciSection {
  const options = new Map<string, UciValue>();
  for (const [k, v] of entries) {
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    options.set(k, v);
  }
  return { type, name, anonymous, options };
}
const b = (x: boolean) => (x ? "1" : "0");
const n = (x: number | null) => (x === null ? null : String(x));

/**
 * The file after saving `config` over `current`: options and sections the model does not know
 * (e.g. the init script's web.listen_addr, a fleet tool's own) are kept; `server` sections
 * are ours and replaced whole.
 */
export function mergeConfigIntoUci(current: UciPackage, config: Config): UciPackage {
  const next = configToUci(config);
  const known = new Map(next.sections.filter((s) => !s.anonymous).map((s) => [`${s.type} ${s.name}`, s]));
  const managed = new Map(configToUci(MANAGED_SHAPE).sections.filter((s) => !s.anonymous).map((s) => [`${s.type} ${s.name}`, [...s.options.keys()]]));
  const kept = current.sections
    .filter((s) => s.type !== "server")
    .map((s) => {
      const ours = known.get(`${s.type} ${s.name}`);
      if (!ours) return s;
      known.delete(`${s.type} ${s.name}`);
      const options = new Map([...s.options].filter(([k]) => !managed.get(`${s.type} ${s.name}`)?.includes(k)));
      for (const [k, v] of ours.options) options.set(k, v);
      return { ...s, options };
    });
  return { name: next.name, sections: [...kept, ...known.values(), ...next.sections.filter((s) => s.type === "server")] };
}

/** A config with every optional value present, to list every option name the model writes. */
const MANAGED_SHAPE: Config = {
  ...defaultConfig(),
  tunnel: { privateKey: "k", addresses: ["a"], dns: ["d"], mtu: 1420, listenPort: 1 },
  web: { passwordHash: "h" },
};

/** Servers become anonymous sections in failover order; `name` carries the display name. */
export function configToUci(config: Config): UciPackage {
  return {
    name: "enigm-vpn",
    sections: [
      section("settings", "settings", false, [
        ["enabled", b(config.settings.enabled)],
        ["kill_switch", b(config.settings.killSwitch)],
        ["dns_protection", b(config.settings.dnsProtection)],
        ["ipv6", config.settings.ipv6],
      ]),
      section("policy", "policy", false, [["mode", config.policy.mode], ["locked", b(config.policy.locked)]]),
      section("tunnel", "tunnel", false, [
        ["private_key", config.tunnel.privateKey],
        ["addresses", config.tunnel.addresses],
        ["dns", config.tunnel.dns],
        ["mtu", String(config.tunnel.mtu)],
        ["listen_port", n(config.tunnel.listenPort)],
      ]),
      section("web", "web", false, [["password_hash", config.web.passwordHash]]),
      ...config.servers.map((s, i) =>
        section("server", `cfg${i}`, true, [
          ["name", s.name],
          ["endpoint_host", s.endpointHost],
          ["endpoint_port", String(s.endpointPort)],
          ["public_key", s.publicKey],
          ["preshared_key", s.presharedKey],
          ["allowed_ips", s.allowedIps],
          ["persistent_keepalive", n(s.keepalive)],
        ]),
      ),
    ],
  };
}
