import { execFileSync } from "node:child_process";
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIpk } from "../../scripts/ipk/build-ipk.ts";

const SCRIPTS = ["files/etc/init.d/enigm-vpn", "files/etc/uci-defaults/90-enigm-vpn", "files/etc/hotplug.d/iface/90-enigm-vpn"];
let dir: string;
let ipkBytes: Buffer;

const run = (cmd: string, args: string[], cwd = dir) => execFileSync(cmd, args, { cwd, encoding: "utf8" });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "enigm-ipk-"));
  const ipk = await buildIpk({ root: ".", version: "0.1.0", mtime: 1_700_000_000 });
  expect(ipk.name).toBe("enigm-vpn_0.1.0_all.ipk");
  ipkBytes = ipk.data;
  writeFileSync(join(dir, ipk.name), ipk.data);
  // Unpack with the system's own ar and tar, as opkg would read it.
  run("ar", ["x", ipk.name]);
  run("mkdir", ["control", "data"]);
  run("tar", ["-xzf", "control.tar.gz", "-C", "control"]);
  run("tar", ["-xzf", "data.tar.gz", "-C", "data", "--same-permissions"]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (p: string) => statSync(join(dir, "data", p)).mode & 0o7777;

describe("the .ipk", () => {
  it("is an ar archive of debian-binary, control.tar.gz, data.tar.gz in that order", () => {
    expect(run("ar", ["t", "enigm-vpn_0.1.0_all.ipk"]).trim().split("\n")).toEqual(["debian-binary", "control.tar.gz", "data.tar.gz"]);
    expect(readFileSync(join(dir, "debian-binary"), "utf8")).toBe("2.0\n");
  });

  it("has the control fields opkg needs", () => {
    const control = readFileSync(join(dir, "control/control"), "utf8");
    const fields = Object.fromEntries(control.trim().split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]));
    expect(fields).toMatchObject({ Package: "enigm-vpn", Version: "0.1.0", Architecture: "all", Section: "net", License: "MIT" });
    for (const dep of ["node", "wireguard-tools", "kmod-wireguard", "nftables"]) expect(fields.Depends!.split(", ")).toContain(dep);
    expect(Number(fields["Installed-Size"])).toBeGreaterThan(50_000);
    expect(readFileSync(join(dir, "control/conffiles"), "utf8")).toBe("/etc/config/enigm-vpn\n");
    expect(statSync(join(dir, "control/postinst")).mode & 0o777).toBe(0o755);
  });

  it("installs the daemon, the CLI, the UI and the device files with the right modes", () => {
    expect(mode("etc/init.d/enigm-vpn")).toBe(0o755);
    expect(mode("etc/config/enigm-vpn")).toBe(0o600);
    expect(mode("etc/uci-defaults/90-enigm-vpn")).toBe(0o755);
    expect(mode("usr/lib/enigm-vpn/enigm-vpn.mjs")).toBe(0o755);
    expect(mode("usr/share/rpcd/acl.d/enigm-vpn.json")).toBe(0o644);
    expect(readFileSync(join(dir, "data/usr/lib/enigm-vpn/enigm-vpnd.mjs"))).toEqual(readFileSync("dist/enigm-vpnd.mjs"));
    expect(lstatSync(join(dir, "data/usr/bin/enigm-vpn")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, "data/usr/bin/enigm-vpn"))).toBe("../lib/enigm-vpn/enigm-vpn.mjs");
    expect(statSync(join(dir, "data/usr/lib/enigm-vpn/web/index.html")).isFile()).toBe(true);
    JSON.parse(readFileSync(join(dir, "data/usr/share/rpcd/acl.d/enigm-vpn.json"), "utf8"));
    const owners = run("tar", ["-tzvf", "data.tar.gz"]).trim().split("\n").map((l) => l.split(/\s+/)[1]);
    expect(new Set(owners)).toEqual(new Set(["root/root"]));
  });

  it("is reproducible: the same tree and time give the same bytes", async () => {
    const again = await buildIpk({ root: ".", version: "0.1.0", mtime: 1_700_000_000 });
    expect(again.data.equals(ipkBytes)).toBe(true);
  });
});

describe("device scripts", () => {
  it.each(SCRIPTS)("%s passes sh -n and shellcheck", (script) => {
    execFileSync("sh", ["-n", script]);
    expect(execFileSync("shellcheck", ["-s", "sh", script], { encoding: "utf8" })).toBe("");
  });

  it("the init script loads the saved ruleset in boot() before starting the daemon", () => {
    const text = readFileSync("files/etc/init.d/enigm-vpn", "utf8");
    const boot = text.slice(text.indexOf("boot() {"), text.indexOf("}", text.indexOf("boot() {")));
    expect(boot.indexOf('nft -f "$BOOT_RULES"')).toBeGreaterThan(-1);
    expect(boot.indexOf('nft -f "$BOOT_RULES"')).toBeLessThan(boot.indexOf("start "));
    expect(text).toMatch(/procd_add_reload_trigger enigm-vpn/);
    expect(text).toMatch(/USE_PROCD=1/);
  });
});
