// Turning a parsed wg-quick file into config changes, and the config back into a wg-quick file.
import { type Config, type Server, validateConfig } from "./config.ts";
import { ApiError } from "./errors.ts";
import type { WgQuickConfig } from "./wgconf.ts";

export interface ImportResult {
  config: Config;
  added: string[];
  warnings: string[];
}

function uniqueName(base: string, taken: Set<string>): string {
  const clean = base.replace(/\p{Cc}/gu, "").trim().slice(0, 56) || "server";
  let name = clean;
  for (let n = 2; taken.has(name); n++) name = `${clean} (${n})`;
  taken.add(name);
  return name;
}

/**
 * Adds the file's peers as servers after the existing ones. The interface part (key, addresses,
 * DNS, MTU) replaces the tunnel's; a file with a different private key than the configured one
 * is refused unless `replace` is set, which also drops the old servers (they were registered
 * with the old key and would not accept it).
 */
export function importWgQuick(config: Config, file: WgQuickConfig, opts: { name?: string; replace?: boolean }): ImportResult {
  const warnings: string[] = [];
  const current = config.tunnel.privateKey;
  const incoming = file.interface.privateKey;
  if (current && incoming && incoming !== current && !opts.replace && config.servers.length > 0) {
    throw new ApiError("conflict", "Interface.PrivateKey: the file uses a different private key than the configured tunnel; import with replace to switch to it (the current servers are removed)", "Interface.PrivateKey");
  }
  if (!incoming && !current) {
    throw new ApiError("invalid_input", "Interface.PrivateKey: the file has no PrivateKey and the router has none; generate keys on the router first or include the key", "Interface.PrivateKey");
  }
  if (file.interface.addresses.length === 0) {
    throw new ApiError("invalid_input", "Interface.Address: the file gives the tunnel no address", "Interface.Address");
  }
  if (file.interface.dnsSearch.length) warnings.push(`DNS search domains ignored: ${file.interface.dnsSearch.join(", ")}`);
  if (file.interface.table !== undefined && file.interface.table !== "auto") warnings.push(`Table = ${file.interface.table} ignored: the router routes the whole LAN through the tunnel`);
  if (file.interface.fwmark !== undefined) warnings.push("FwMark ignored: the router chooses its own mark");

  const base = opts.replace ? [] : config.servers;
  const taken = new Set(base.map((s) => s.name));
  const servers: Server[] = file.peers.map((peer, i) => {
    if (!peer.endpoint) {
      throw new ApiError("invalid_input", `Peer[${i + 1}].Endpoint: a router must dial out to its server; the peer has no Endpoint`, `Peer[${i + 1}].Endpoint`);
    }
    const label = opts.name ? (file.peers.length > 1 ? `${opts.name} ${i + 1}` : opts.name) : peer.endpoint.host;
    return {
      name: uniqueName(label, taken),
      endpointHost: peer.endpoint.host,
      endpointPort: peer.endpoint.port,
      publicKey: peer.publicKey,
      presharedKey: peer.presharedKey ?? null,
      allowedIps: peer.allowedIps,
      keepalive: peer.keepalive ?? null,
    };
  });
  const next = validateConfig({
    ...config,
    tunnel: {
      ...config.tunnel,
      privateKey: incoming ?? current,
      addresses: file.interface.addresses,
      dns: file.interface.dns,
      mtu: file.interface.mtu ?? config.tunnel.mtu,
      listenPort: file.interface.listenPort ?? config.tunnel.listenPort,
    },
    servers: [...base, ...servers],
  });
  return { config: next, added: servers.map((s) => s.name), warnings };
}

export function exportWgQuick(config: Config): WgQuickConfig {
  const t = config.tunnel;
  return {
    interface: {
      ...(t.privateKey ? { privateKey: t.privateKey } : {}),
      addresses: t.addresses,
      dns: t.dns,
      dnsSearch: [],
      mtu: t.mtu,
      ...(t.listenPort !== null ? { listenPort: t.listenPort } : {}),
    },
    peers: config.servers.map((s) => ({
      publicKey: s.publicKey,
      ...(s.presharedKey ? { presharedKey: s.presharedKey } : {}),
      allowedIps: s.allowedIps,
      endpoint: { host: s.endpointHost, port: s.endpointPort },
      ...(s.keepalive !== null ? { keepalive: s.keepalive } : {}),
    })),
  };
}
