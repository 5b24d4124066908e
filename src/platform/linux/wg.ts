// WireGuard: the setconf text (secrets: it only ever reaches `wg` through a 0600 file) and
// the parse of `wg show IF dump`, whose first line carries the private key and is dropped unread.
import { isIP } from "node:net";
import type { PlanTunnel } from "../../core/plan-types.ts";
import type { TunnelStats } from "../types.ts";
import type { Command } from "./exec.ts";

function endpoint(t: PlanTunnel): string | null {
  const addr = t.peer.endpointAddrs[0];
  if (addr === undefined) return null;
  return isIP(addr) === 6 ? `[${addr}]:${t.peer.endpointPort}` : `${addr}:${t.peer.endpointPort}`;
}

/** The `wg setconf` file for a tunnel. Without a resolved address the peer has no endpoint (and stays silent). */
export function renderWgConf(t: PlanTunnel): string {
  const ep = endpoint(t);
  return [
    "[Interface]",
    `PrivateKey = ${t.privateKey}`,
    ...(t.listenPort !== undefined ? [`ListenPort = ${t.listenPort}`] : []),
    `FwMark = 0x${t.fwmark.toString(16)}`,
    "",
    "[Peer]",
    `PublicKey = ${t.peer.publicKey}`,
    ...(t.peer.presharedKey ? [`PresharedKey = ${t.peer.presharedKey}`] : []),
    ...(ep ? [`Endpoint = ${ep}`] : []),
    `AllowedIPs = ${t.peer.allowedIps.join(", ")}`,
    ...(t.peer.keepalive ? [`PersistentKeepalive = ${t.peer.keepalive}`] : []),
    "",
  ].join("\n");
}

/** `wg` opens the file by name; node's stdin pipes are sockets, which /dev/stdin cannot open. */
export function setconfCommand(ifname: string, confFile: string): Command {
  return { argv: ["wg", "setconf", ifname, confFile] };
}

export function dumpCommand(ifname: string): Command {
  return { argv: ["wg", "show", ifname, "dump"] };
}

/**
 * Peer lines of `wg show IF dump`: public-key, preshared-key, endpoint, allowed-ips,
 * latest-handshake (unix s, 0 = never), rx, tx, keepalive. Stats of the first peer.
 */
export function parseWgDump(text: string): TunnelStats | null {
  const peer = text.split("\n").slice(1).find((l) => l.trim() !== "");
  if (!peer) return null;
  const f = peer.split("\t");
  if (f.length < 8) throw new Error(`wg show dump: expected 8 tab-separated fields in a peer line, got ${f.length}`);
  const num = (i: number, name: string) => {
    const n = Number(f[i]);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`wg show dump: ${name} is not a count: ${JSON.stringify(f[i])}`);
    return n;
  };
  const handshake = num(4, "latest-handshake");
  return {
    lastHandshakeMs: handshake === 0 ? null : handshake * 1000,
    rxBytes: num(5, "transfer-rx"),
    txBytes: num(6, "transfer-tx"),
    endpoint: f[2] === "(none)" ? null : f[2]!,
  };
}
