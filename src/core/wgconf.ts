// wg-quick .conf files: parse (every key wg-quick knows, errors quoting line and value) and
// format. Keys are case-insensitive and `#` starts a comment, as in wg-quick and wg(8).
import { isIP } from "node:net";
import { ApiError, quote } from "./errors.ts";
import { isWgKey } from "./keys.ts";
import { formatEndpoint, isCidr, isHost, splitEndpoint } from "./net.ts";

export interface WgInterface {
  privateKey?: string;
  addresses: string[];
  dns: string[];
  dnsSearch: string[];
  mtu?: number;
  listenPort?: number;
  fwmark?: number;
  table?: string;
}

export interface WgPeer {
  publicKey: string;
  presharedKey?: string;
  allowedIps: string[];
  endpoint?: { host: string; port: number };
  keepalive?: number;
}

export interface WgQuickConfig {
  interface: WgInterface;
  peers: WgPeer[];
}

const INTERFACE_KEYS = ["PrivateKey", "ListenPort", "FwMark", "Address", "DNS", "MTU", "Table", "SaveConfig", "PreUp", "PostUp", "PreDown", "PostDown"] as const;
const PEER_KEYS = ["PublicKey", "PresharedKey", "AllowedIPs", "Endpoint", "PersistentKeepalive"] as const;
const LIST_KEYS = new Set(["Address", "DNS", "AllowedIPs"]);
const REFUSED: Record<string, string> = {
  PreUp: "a router does not run commands from an imported file; remove PreUp",
  PostUp: "a router does not run commands from an imported file; remove PostUp",
  PreDown: "a router does not run commands from an imported file; remove PreDown",
  PostDown: "a router does not run commands from an imported file; remove PostDown",
  SaveConfig: "the router owns its configuration and never writes back to an imported file; remove SaveConfig",
};

class Fail {
  constructor(
    readonly line: number,
    readonly section: string,
  ) {}
  error(key: string, message: string): ApiError {
    const field = `${this.section}.${key}`;
    return new ApiError("invalid_input", `line ${this.line}: ${field}: ${message}`, field);
  }
}

function integer(value: string, min: number, max: number, at: Fail, key: string): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw at.error(key, `must be a whole number from ${min} to ${max}, got ${quote(value)}`);
  }
  return Number(value);
}

function items(value: string): string[] {
  return value.split(",").map((p) => p.trim()).filter((p) => p !== "");
}

function cidrs(value: string, at: Fail, key: string): string[] {
  const list = items(value);
  for (const item of list) if (!isCidr(item)) throw at.error(key, `must be IP prefixes like 10.0.0.2/32, got ${quote(item)}`);
  return list;
}

function key(value: string, at: Fail, name: string): string {
  if (!isWgKey(value)) throw at.error(name, `must be a WireGuard key (44 characters of base64 ending in '='), got ${quote(value)}`);
  return value;
}

function setInterface(iface: WgInterface, k: string, value: string, at: Fail): void {
  switch (k) {
    case "PrivateKey": iface.privateKey = key(value, at, k); break;
    case "ListenPort": iface.listenPort = integer(value, 1, 65535, at, k); break;
    case "FwMark": if (value !== "off") iface.fwmark = integer(value.startsWith("0x") ? String(Number.parseInt(value, 16)) : value, 0, 0xffffffff, at, k); break;
    case "Address": iface.addresses.push(...cidrs(value, at, k)); break;
    case "DNS":
      for (const item of items(value)) (isIP(item) ? iface.dns : iface.dnsSearch).push(item);
      break;
    case "MTU": iface.mtu = integer(value, 1280, 9000, at, k); break;
    case "Table": iface.table = value; break;
  }
}

function setPeer(peer: Partial<WgPeer> & { allowedIps: string[] }, k: string, value: string, at: Fail): void {
  switch (k) {
    case "PublicKey": peer.publicKey = key(value, at, k); break;
    case "PresharedKey": peer.presharedKey = key(value, at, k); break;
    case "AllowedIPs": peer.allowedIps.push(...cidrs(value, at, k)); break;
    case "Endpoint": {
      const parts = splitEndpoint(value);
      if (!parts || !isHost(parts.host)) throw at.error(k, `must be host:port or [IPv6]:port, got ${quote(value)}`);
      peer.endpoint = { host: parts.host, port: integer(parts.port, 1, 65535, at, k) };
      break;
    }
    case "PersistentKeepalive": if (value !== "off") peer.keepalive = integer(value, 0, 65535, at, k); break;
  }
}

function canonicalKey(raw: string, known: readonly string[]): string | undefined {
  return known.find((k) => k.toLowerCase() === raw.toLowerCase());
}

export function parseWgQuick(text: string): WgQuickConfig {
  const iface: WgInterface = { addresses: [], dns: [], dnsSearch: [] };
  const peers: (Partial<WgPeer> & { allowedIps: string[]; line: number })[] = [];
  let section: "Interface" | "Peer" | null = null;
  let seenInterface = false;
  let seenKeys = new Set<string>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const header = /^\[\s*([A-Za-z]+)\s*\]$/.exec(line);
    if (header) {
      const name = header[1]!.toLowerCase();
      if (name === "interface") {
        if (seenInterface) throw new ApiError("invalid_input", `line ${i + 1}: a second [Interface] section; a file describes one interface`, "Interface");
        seenInterface = true;
        section = "Interface";
      } else if (name === "peer") {
        section = "Peer";
        peers.push({ allowedIps: [], line: i + 1 });
      } else {
        throw new ApiError("invalid_input", `line ${i + 1}: unknown section ${quote(header[1])}; expected [Interface] or [Peer]`, "section");
      }
      seenKeys = new Set();
      return;
    }
    const eq = line.indexOf("=");
    if (eq < 0) throw new ApiError("invalid_input", `line ${i + 1}: expected "Key = Value", got ${quote(raw.trim())}`, "line");
    const rawKey = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (section === null) throw new ApiError("invalid_input", `line ${i + 1}: ${quote(rawKey)} appears before any [Interface] or [Peer] section`, rawKey);
    const sectionName: string = section === "Peer" ? `Peer[${peers.length}]` : "Interface";
    const at = new Fail(i + 1, sectionName);
    const refused = canonicalKey(rawKey, Object.keys(REFUSED));
    if (refused) throw at.error(refused, REFUSED[refused]!);
    const k = canonicalKey(rawKey, section === "Interface" ? INTERFACE_KEYS : PEER_KEYS);
    if (!k) throw at.error(rawKey, `unknown key ${quote(rawKey)} in [${section}]`);
    if (!LIST_KEYS.has(k) && seenKeys.has(k)) throw at.error(k, `appears twice in the same section`);
    seenKeys.add(k);
    if (section === "Interface") setInterface(iface, k, value, at);
    else setPeer(peers[peers.length - 1]!, k, value, at);
  });
  if (!seenInterface) throw new ApiError("invalid_input", "no [Interface] section: this does not look like a wg-quick file", "Interface");
  if (peers.length === 0) throw new ApiError("invalid_input", "no [Peer] section: the file names no server", "Peer");
  return {
    interface: iface,
    peers: peers.map(({ line, ...peer }, i) => {
      const at = new Fail(line, `Peer[${i + 1}]`);
      if (!peer.publicKey) throw at.error("PublicKey", "is required");
      if (peer.allowedIps.length === 0) throw at.error("AllowedIPs", "is required");
      return peer as WgPeer;
    }),
  };
}

/** wg-quick text. Secrets are written only when asked; export_config never asks. */
export function formatWgQuick(config: WgQuickConfig, opts: { secrets: boolean }): string {
  const out = ["[Interface]"];
  const i = config.interface;
  if (i.privateKey) out.push(opts.secrets ? `PrivateKey = ${i.privateKey}` : "# PrivateKey stays on the router");
  if (i.addresses.length) out.push(`Address = ${i.addresses.join(", ")}`);
  if (i.dns.length || i.dnsSearch.length) out.push(`DNS = ${[...i.dns, ...i.dnsSearch].join(", ")}`);
  if (i.mtu !== undefined) out.push(`MTU = ${i.mtu}`);
  if (i.listenPort !== undefined) out.push(`ListenPort = ${i.listenPort}`);
  if (i.fwmark !== undefined) out.push(`FwMark = ${i.fwmark}`);
  if (i.table !== undefined) out.push(`Table = ${i.table}`);
  for (const p of config.peers) {
    out.push("", "[Peer]", `PublicKey = ${p.publicKey}`);
    if (p.presharedKey) out.push(opts.secrets ? `PresharedKey = ${p.presharedKey}` : "# PresharedKey stays on the router");
    out.push(`AllowedIPs = ${p.allowedIps.join(", ")}`);
    if (p.endpoint) out.push(`Endpoint = ${formatEndpoint(p.endpoint.host, p.endpoint.port)}`);
    if (p.keepalive !== undefined) out.push(`PersistentKeepalive = ${p.keepalive}`);
  }
  return `${out.join("\n")}\n`;
}
