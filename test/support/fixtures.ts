// Keys and wg-quick texts for tests: made here with node:crypto, never real credentials.
import { generateKeyPair } from "../../src/core/keys.ts";

export const client = generateKeyPair();
export const server = generateKeyPair();
export const server2 = generateKeyPair();
export const psk = "mD3d3zLWSXRcKoY6yW6Q2+RjhLxSbSEj6iF0hqqk0JU=";

export function wgQuick(opts: { privateKey?: string; peers?: { publicKey: string; endpoint: string }[] } = {}): string {
  const peers = opts.peers ?? [{ publicKey: server.publicKey, endpoint: "vpn.example.net:51820" }];
  return [
    "[Interface]",
    `PrivateKey = ${opts.privateKey ?? client.privateKey}`,
    "Address = 10.66.0.2/32, fd66::2/128",
    "DNS = 10.66.0.1",
    "",
    ...peers.flatMap((p) => ["[Peer]", `PublicKey = ${p.publicKey}`, "AllowedIPs = 0.0.0.0/0, ::/0", `Endpoint = ${p.endpoint}`, "PersistentKeepalive = 25", ""]),
  ].join("\n");
}
