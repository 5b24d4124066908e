// The Linux adapter against a recording runner: what it would run, in order, with no secret
// in any argv; plus the pure parts (wg dump parse, setconf text, dnsmasq config, routes).
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderDnsmasqConf } from "../../src/platform/linux/dnsmasq.ts";
import { type Command, type CommandResult, type Daemon, formatCommand, type Runner } from "../../src/platform/linux/exec.ts";
import { LinuxPlatform } from "../../src/platform/linux/index.ts";
import { parseRoutePrefixes, routingCommands } from "../../src/platform/linux/ip.ts";
import { parseWgDump, renderWgConf } from "../../src/platform/linux/wg.ts";
import { plan, TEST_PRIVATE_KEY, tunnel } from "../render/nft-fixtures.ts";

const PSK = "mD3d3zLWSXRcKoY6yW6Q2+RjhLxSbSEj6iF0hqqk0JU=";

/** Records every command; answers from a small model of a Linux box without kernel WireGuard. */
class RecordingRunner implements Runner {
  readonly transcript: string[] = [];
  readonly files: string[] = [];
  links = new Set<string>();
  table = "";

  async run(cmd: Command): Promise<CommandResult> {
    this.transcript.push(formatCommand(cmd));
    const a = cmd.argv;
    const ok = (stdout = ""): CommandResult => ({ code: 0, stdout, stderr: "" });
    const fail = (stderr: string): CommandResult => ({ code: 1, stdout: "", stderr });
    if (a[0] === "nft" && a[1] === "-f") this.table = cmd.stdin ?? "";
    if (a[0] === "nft" && a[1] === "list") return this.table ? ok(this.table) : fail("No such file or directory");
    if (a.join(" ").includes("type wireguard")) return fail("Error: Unknown device type.");
    if (a[0] === "wg" && a[1] === "setconf") this.files.push(await readFile(a[3]!, "utf8"));
    if (a[0] === "wg" && a[2] !== undefined && !this.links.has(a[2])) return fail("Unable to access interface: No such device");
    if (a[0] === "wg" && a[3] === "dump") return ok(`${TEST_PRIVATE_KEY}\tpub\t0\t0xe4e0\npeer=\t(none)\t192.0.2.1:51820\t0.0.0.0/0,::/0\t1700000000\t1234\t5678\t25\n`);
    if (a.includes("route") && a.includes("show")) return ok(a.includes("-6") ? '[{"dst":"2001:db8:50::/64"},{"dst":"fe80::/64"}]' : '[{"dst":"192.168.50.0/24","protocol":"kernel"}]');
    if (a.includes("neigh")) return ok('[{"dst":"192.168.50.10","lladdr":"02:00:00:00:00:10","state":["REACHABLE"]},{"dst":"192.168.50.99","state":["FAILED"]}]');
    if (a[1] === "-j" && a[2] === "link") return [...this.links].some((l) => a.includes(l)) ? ok("[{}]") : fail("Device does not exist");
    return ok();
  }

  start(cmd: Command): Daemon {
    this.transcript.push(`start ${formatCommand(cmd)}`);
    if (cmd.argv[0] === "wireguard-go") this.links.add(cmd.argv.at(-1)!);
    let exit: (how: string) => void = () => {};
    const exited = new Promise<string>((r) => (exit = r));
    return {
      pid: 999_999,
      exited,
      kill: (signal) => {
        this.transcript.push(`kill ${cmd.argv[0]} ${signal}`);
        if (cmd.argv[0] === "wireguard-go") this.links.delete(cmd.argv.at(-1)!);
        exit(signal ?? "SIGTERM");
      },
    };
  }
}

describe("LinuxPlatform over a recording runner", () => {
  let dir: string;
  let runner: RecordingRunner;
  let platform: LinuxPlatform;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "enigm-linux-"));
    runner = new RecordingRunner();
    platform = new LinuxPlatform({ dataDir: dir, lanIfaces: ["br-lan"], wanIfaces: ["eth1"], runner });
  });
  afterEach(async () => {
    await platform.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("applies firewall first, then tunnel, routes and resolver (transcript)", async () => {
    const p = plan({ killSwitch: true, tunnel: tunnel({ peer: { ...tunnel().peer, presharedKey: PSK } }) });
    await platform.apply(p);
    const t = runner.transcript.map((l) => l.replace(dir, "DATA"));
    expect(t[0]).toMatch(/^nft -f - <<< \(\d+ bytes\)$/);
    expect(t.slice(1).filter((l) => !l.includes(" -j route show "))).toEqual([
      "nft list table inet enigm_vpn",
      "ip link del dev envpn0",
      "ip link add envpn0 type wireguard",
      "start wireguard-go --foreground envpn0",
      "wg show envpn0 fwmark",
      "wg setconf envpn0 DATA/wg-envpn0.conf",
      "ip address flush dev envpn0",
      "ip -4 address add 10.66.0.2/32 dev envpn0",
      "ip -6 address add fd66::2/128 dev envpn0",
      "ip link set dev envpn0 mtu 1420 up",
      ...["-4", "-6"].flatMap((f) => [`ip ${f} rule del priority 5210`, `ip ${f} rule del priority 5211`, `ip ${f} route flush table 58592`]),
      "ip -4 route replace throw 192.168.50.0/24 table 58592",
      "ip -6 route replace throw 2001:db8:50::/64 table 58592",
      "ip -4 route replace 0.0.0.0/0 dev envpn0 table 58592",
      "ip -6 route replace ::/0 dev envpn0 table 58592",
      "ip -4 route replace unreachable default metric 4278198272 table 58592",
      "ip -6 route replace unreachable default metric 4278198272 table 58592",
      "ip -4 rule add priority 5210 iif lo table main suppress_prefixlength 0",
      "ip -4 rule add priority 5211 not fwmark 0xe4e0 table 58592",
      "ip -6 rule add priority 5210 iif lo table main suppress_prefixlength 0",
      "ip -6 rule add priority 5211 not fwmark 0xe4e0 table 58592",
      "start dnsmasq --keep-in-foreground --conf-file=DATA/dnsmasq.conf",
    ]);
  });

  it("never puts a key in an argument list, and leaves no key file behind", async () => {
    await platform.apply(plan({ tunnel: tunnel({ peer: { ...tunnel().peer, presharedKey: PSK } }) }));
    const all = runner.transcript.join("\n");
    expect(all).not.toContain(TEST_PRIVATE_KEY);
    expect(all).not.toContain(PSK);
    expect(runner.files[0]).toContain(`PrivateKey = ${TEST_PRIVATE_KEY}`);
    expect(runner.files[0]).toContain(`PresharedKey = ${PSK}`);
    await expect(stat(join(dir, "wg-envpn0.conf"))).rejects.toThrow();
  });

  it("saves the applied ruleset 0600 for boot, and reports it intact until it changes", async () => {
    expect(await platform.firewallIntact()).toBe(false);
    await platform.apply(plan({ killSwitch: true }));
    const saved = join(dir, "firewall.nft");
    expect((await stat(saved)).mode & 0o777).toBe(0o600);
    expect(await readFile(saved, "utf8")).toBe(runner.table);
    expect(await platform.firewallIntact()).toBe(true);
    runner.table = "";
    expect(await platform.firewallIntact()).toBe(false);
  });

  it("re-applying an unchanged plan touches only the firewall", async () => {
    await platform.apply(plan());
    const before = runner.transcript.length;
    await platform.apply(plan());
    expect(runner.transcript.slice(before).filter((l) => !/^(nft -f|nft list|ip -j link show|ip -[46] -j route show)/.test(l))).toEqual([]);
  });

  it("switching the kill switch changes routes only, not the WireGuard session", async () => {
    await platform.apply(plan());
    const before = runner.transcript.length;
    await platform.apply(plan({ killSwitch: true }));
    const t = runner.transcript.slice(before);
    expect(t.some((l) => l.startsWith("wg setconf"))).toBe(false);
    expect(t).toContain("ip -4 route replace unreachable default metric 4278198272 table 58592");
  });

  it("VPN off stops wireguard-go and removes the routing rules; stats are then null", async () => {
    await platform.apply(plan());
    expect(await platform.stats()).toEqual({ lastHandshakeMs: 1_700_000_000_000, rxBytes: 1234, txBytes: 5678, endpoint: "192.0.2.1:51820" });
    const before = runner.transcript.length;
    await platform.apply(plan({ tunnel: null }));
    const t = runner.transcript.slice(before);
    expect(t).toContain("kill wireguard-go SIGTERM");
    expect(t).toContain("ip -4 rule del priority 5211");
    expect(await platform.stats()).toBeNull();
  });

  it("a failing step rolls back to the previous plan and throws", async () => {
    await platform.apply(plan({ tunnel: null }));
    const failing = new (class extends RecordingRunner {
      override async run(cmd: Command): Promise<CommandResult> {
        if (cmd.argv[0] === "wg" && cmd.argv[1] === "setconf") return { code: 1, stdout: "", stderr: "Invalid argument" };
        return super.run(cmd);
      }
    })();
    const p2 = new LinuxPlatform({ dataDir: dir, lanIfaces: ["br-lan"], wanIfaces: ["eth1"], runner: failing });
    await p2.apply(plan({ tunnel: null }));
    const offRules = failing.table;
    await expect(p2.apply(plan({ killSwitch: true }))).rejects.toThrow(/wg setconf envpn0 .* failed \(exit 1\): Invalid argument/);
    expect(failing.table).toBe(offRules);
    expect(failing.transcript).toContain("kill wireguard-go SIGTERM");
    await p2.close();
  });

  it("counts LAN clients from the neighbour table", async () => {
    expect(await platform.facts()).toEqual({ lanIfaces: ["br-lan"], wanIfaces: ["eth1"], lanClients: 1 });
  });
});

describe("Linux adapter pure parts", () => {
  it("parses wg show dump without reading the interface line", () => {
    expect(parseWgDump(`${TEST_PRIVATE_KEY}\tpub\t51820\toff\n`)).toBeNull();
    expect(parseWgDump("x\tpub\t0\toff\npeer\t(none)\t(none)\t0.0.0.0/0\t0\t0\t0\toff\n")).toEqual({ lastHandshakeMs: null, rxBytes: 0, txBytes: 0, endpoint: null });
    expect(() => parseWgDump("x\npeer\tpsk\t1.2.3.4:5\t0.0.0.0/0\tsoon\t0\t0\toff\n")).toThrow(/latest-handshake is not a count: "soon"/);
  });

  it("renders the setconf file with a bracketed IPv6 endpoint and no endpoint when unresolved", () => {
    const v6 = renderWgConf(tunnel({ peer: { ...tunnel().peer, endpointAddrs: ["2001:db8::7"] } }));
    expect(v6).toContain("Endpoint = [2001:db8::7]:51820");
    expect(v6).toContain("FwMark = 0xe4e0");
    expect(renderWgConf(tunnel({ peer: { ...tunnel().peer, endpointAddrs: [] } }))).not.toContain("Endpoint");
  });

  it("renders dnsmasq: tunnel upstreams only, or the uplink's resolv.conf when unprotected", () => {
    const protectedConf = renderDnsmasqConf({ lanIfaces: ["br-lan"], upstreams: ["10.66.0.1"], pidFile: "/run/x.pid", resolvFile: "/etc/resolv.conf" });
    expect(protectedConf).toContain("no-resolv\nstrict-order\nserver=10.66.0.1");
    expect(protectedConf).not.toContain("resolv-file");
    expect(renderDnsmasqConf({ lanIfaces: ["br-lan"], upstreams: [], pidFile: "/run/x.pid", resolvFile: "/tmp/r" })).toContain("resolv-file=/tmp/r");
  });

  it("keeps link-local and multicast prefixes out of the LAN throw routes", () => {
    expect(parseRoutePrefixes('[{"dst":"192.168.1.0/24"},{"dst":"default"},{"dst":"fe80::/64"},{"dst":"fd00::/64"}]')).toEqual(["192.168.1.0/24", "fd00::/64"]);
    expect(parseRoutePrefixes("")).toEqual([]);
  });

  it("adds the unreachable fallback only with the kill switch", () => {
    const spec = { table: 100, fwmark: 1, ifname: "wg0", allowedIps: ["0.0.0.0/0"], lanPrefixes: [], killSwitch: false };
    expect(routingCommands(spec).some((c) => c.argv.includes("unreachable"))).toBe(false);
    expect(routingCommands({ ...spec, killSwitch: true }).filter((c) => c.argv.includes("unreachable"))).toHaveLength(2);
  });
});
