// blobmsg encode/decode of a ~1 KB status-sized message against JSON.stringify/JSON.parse of
// the same data, in the same run.
import { decodeTable } from "../src/ubus/blobmsg-decode.ts";
import { encodeTable } from "../src/ubus/blobmsg-encode.ts";
import type { BlobmsgTable } from "../src/ubus/blobmsg-types.ts";

const status: BlobmsgTable = {
  state: "protected",
  reason: "handshake 12 s ago",
  enabled: true,
  policy: { mode: "optional", locked: false },
  settings: { killSwitch: true, dnsProtection: true, ipv6: "tunnel" },
  server: { name: "hotel-exit-1", endpoint: "vpn1.example.net:51820", publicKey: "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=" },
  servers: ["hotel-exit-1", "hotel-exit-2", "home"],
  interface: "enigm0",
  addresses: ["10.64.0.2/32", "fd00:64::2/128"],
  dns: ["10.64.0.1", "fd00:64::1"],
  latestHandshake: 1733313600,
  handshakeAgeSeconds: 12,
  rxBytes: 48213377,
  txBytes: 9313261,
  rxPackets: 41234,
  txPackets: 30211,
  uptimeSeconds: 86400,
  probe: { ok: true, target: "10.64.0.1", rttMs: 23.4, checkedAt: 1733313610 },
  uplink: { interface: "wan", device: "eth1", up: true, ipv4: "192.168.7.23", gateway: "192.168.7.1", ipv6: false },
  failover: { attempts: 0, lastSwitch: null, order: ["hotel-exit-1", "hotel-exit-2", "home"] },
  pendingApply: null,
  version: "0.1.0",
};

function perSecond(f: () => unknown): number {
  for (let i = 0; i < 2000; i++) f();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < 400) {
    for (let i = 0; i < 500; i++) f();
    n += 500;
    t = performance.now();
  }
  return Math.round((n * 1000) / (t - t0));
}

export default async function () {
  const blob = encodeTable(status);
  const json = JSON.stringify(status);
  return {
    ubus_status_message_bytes: blob.length,
    blobmsg_encode_per_s: perSecond(() => encodeTable(status)),
    blobmsg_decode_per_s: perSecond(() => decodeTable(blob)),
    json_stringify_per_s: perSecond(() => JSON.stringify(status)),
    json_parse_per_s: perSecond(() => JSON.parse(json)),
  };
}
