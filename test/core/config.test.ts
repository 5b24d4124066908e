import { describe, expect, it } from "vitest";
import { defaultConfig, validateConfig } from "../../src/core/config.ts";
import { ApiError } from "../../src/core/errors.ts";
import { importWgQuick } from "../../src/core/import.ts";
import { parseWgQuick } from "../../src/core/wgconf.ts";
import { client, server, server2, wgQuick } from "../support/fixtures.ts";

const good = {
  ...defaultConfig(),
  tunnel: { privateKey: client.privateKey, addresses: ["10.66.0.2/32"], dns: ["10.66.0.1"], mtu: 1420, listenPort: null },
  servers: [{ name: "Amsterdam", endpointHost: "vpn.example.net", endpointPort: 51820, publicKey: server.publicKey, presharedKey: null, allowedIps: ["0.0.0.0/0"], keepalive: 25 }],
};

function fieldOf(input: unknown): [string | undefined, string] {
  try {
    validateConfig(input);
  } catch (err) {
    if (err instanceof ApiError) return [err.field, err.message];
    throw err;
  }
  return [undefined, "valid"];
}

describe("config validation", () => {
  it("accepts a good config", () => {
    expect(validateConfig(good)).toEqual(good);
  });

  it.each([
    ["settings.ipv6", { ...good, settings: { ...good.settings, ipv6: "leak" } }, /"leak"/],
    ["policy.mode", { ...good, policy: { mode: "sometimes", locked: false } }, /optional, required, forbidden, got "sometimes"/],
    ["tunnel.privateKey", { ...good, tunnel: { ...good.tunnel, privateKey: "AAAA" } }, /WireGuard key.*"AAAA"/],
    ["tunnel.addresses.0", { ...good, tunnel: { ...good.tunnel, addresses: ["10.0.0.1/33"] } }, /"10\.0\.0\.1\/33"/],
    ["tunnel.mtu", { ...good, tunnel: { ...good.tunnel, mtu: 100 } }, /1280 to 9000, got 100/],
    ["servers.0.endpointPort", { ...good, servers: [{ ...good.servers[0], endpointPort: 0 }] }, /port from 1 to 65535, got 0/],
    ["servers.0.endpointHost", { ...good, servers: [{ ...good.servers[0], endpointHost: "bad host!" }] }, /"bad host!"/],
    ["servers.0.name", { ...good, servers: [{ ...good.servers[0], name: "x\ny" }] }, /"x\\ny"/],
    ["servers.1.name", { ...good, servers: [good.servers[0], good.servers[0]] }, /"Amsterdam" is already used/],
    ["servers.0.allowedIps", { ...good, servers: [{ ...good.servers[0], allowedIps: [] }] }, /at least one/],
    ["settings.killSwitch", { ...good, settings: { ...good.settings, killSwitch: "yes" } }, /true or false, got "yes"/],
  ])("rejects bad %s", (field, input, message) => {
    const [f, m] = fieldOf(input);
    expect(f).toBe(field);
    expect(m).toMatch(message);
    expect(m.startsWith(`${field}:`)).toBe(true);
  });

  it("names a missing field", () => {
    const { policy: _, ...rest } = good;
    expect(fieldOf(rest)).toEqual(["policy", "policy: is required"]);
  });
});

describe("import", () => {
  it("adds every peer as a server and takes the interface", () => {
    const file = parseWgQuick(wgQuick({ peers: [{ publicKey: server.publicKey, endpoint: "a.example.net:51820" }, { publicKey: server2.publicKey, endpoint: "b.example.net:51820" }] }));
    const r = importWgQuick(defaultConfig(), file, { name: "Home" });
    expect(r.added).toEqual(["Home 1", "Home 2"]);
    expect(r.config.tunnel.privateKey).toBe(client.privateKey);
    expect(r.config.servers.map((s) => s.endpointHost)).toEqual(["a.example.net", "b.example.net"]);
  });

  it("gives servers unique names", () => {
    const file = parseWgQuick(wgQuick());
    const once = importWgQuick(defaultConfig(), file, {});
    const twice = importWgQuick(once.config, file, {});
    expect(twice.config.servers.map((s) => s.name)).toEqual(["vpn.example.net", "vpn.example.net (2)"]);
  });

  it("refuses a different private key unless replace is asked, and replace drops the old servers", () => {
    const first = importWgQuick(defaultConfig(), parseWgQuick(wgQuick()), {}).config;
    const other = parseWgQuick(wgQuick({ privateKey: server2.privateKey }));
    expect(() => importWgQuick(first, other, {})).toThrow(/different private key/);
    const replaced = importWgQuick(first, other, { replace: true, name: "New" }).config;
    expect(replaced.servers.map((s) => s.name)).toEqual(["New"]);
    expect(replaced.tunnel.privateKey).toBe(server2.privateKey);
  });

  it("needs an endpoint for every peer", () => {
    const file = parseWgQuick(wgQuick().replace(/Endpoint = .*\n/, ""));
    expect(() => importWgQuick(defaultConfig(), file, {})).toThrow(/Peer\[1\]\.Endpoint/);
  });
});
