import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/core/config.ts";
import { UciConfigFile } from "../../src/service/config-file.ts";
import { UciStore } from "../../src/uci/store.ts";
import { client, psk, server } from "../support/fixtures.ts";

let dir: string;
const repo = (configDir = dir) => new UciConfigFile(new UciStore({ configDir, saveDir: join(dir, "save") }));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "enigm-cfg-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const full = {
  ...defaultConfig(),
  settings: { enabled: true, killSwitch: true, dnsProtection: false, ipv6: "tunnel" as const },
  policy: { mode: "required" as const, locked: true },
  tunnel: { privateKey: client.privateKey, addresses: ["10.66.0.2/32", "fd66::2/128"], dns: ["10.66.0.1"], mtu: 1380, listenPort: 51000 },
  servers: [
    { name: "Café 'Zürich' #1", endpointHost: "2001:db8::1", endpointPort: 51820, publicKey: server.publicKey, presharedKey: psk, allowedIps: ["0.0.0.0/0", "::/0"], keepalive: 25 },
    { name: "Backup", endpointHost: "vpn.example.net", endpointPort: 443, publicKey: server.publicKey, presharedKey: null, allowedIps: ["0.0.0.0/0"], keepalive: null },
  ],
  web: { passwordHash: "scrypt$16384$8$1$c2FsdA==$aGFzaA==" },
};

describe("UCI config file", () => {
  it("round-trips the whole config through /etc/config syntax, mode 0600, no temp files left", async () => {
    const file = repo();
    await file.save(full);
    expect(await file.load()).toEqual(full);
    expect(statSync(join(dir, "enigm-vpn")).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["enigm-vpn"]);
    expect(readFileSync(join(dir, "enigm-vpn"), "utf8")).toContain("config server\n\toption name 'Café '\\''Zürich'\\'' #1'");
  });

  it("keeps what it does not manage: the shipped web.listen_addr, other sections, comments aside", async () => {
    writeFileSync(join(dir, "enigm-vpn"), readFileSync("files/etc/config/enigm-vpn", "utf8") + "\nconfig fleet 'fleet'\n\toption id 'r-17'\n");
    const file = repo();
    const loaded = await file.load();
    await file.save({ ...loaded, settings: { ...loaded.settings, killSwitch: true }, servers: full.servers });
    const text = readFileSync(join(dir, "enigm-vpn"), "utf8");
    expect(text).toContain("\toption listen_addr '127.0.0.1'\n\toption listen_port '8080'");
    expect(text).toContain("config fleet 'fleet'\n\toption id 'r-17'");
    expect(text).toContain("option kill_switch '1'");
    expect((await file.load()).servers).toEqual(full.servers);
    await file.save({ ...(await file.load()), servers: [] });
    expect(readFileSync(join(dir, "enigm-vpn"), "utf8")).not.toContain("config server");
  });

  it("a missing file reads as the defaults", async () => {
    expect(await repo(join(dir, "nope")).load()).toEqual(defaultConfig());
  });

  it.each([
    ["option kill_switch 'maybe'", "settings.kill_switch", /"maybe"/],
    ["option ipv6 'leak'", "settings.ipv6", /"leak"/],
  ])("a hand edit with %s is an error naming %s", async (line, field, message) => {
    writeFileSync(join(dir, "enigm-vpn"), `config settings 'settings'\n\t${line}\n`);
    await expect(repo().load()).rejects.toMatchObject({ field, message: expect.stringMatching(message) });
  });
});
