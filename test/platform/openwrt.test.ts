// The OpenWrt adapter against a test double of ubusd that answers with the replies recorded
// from the real netifd and rpcd (../shared/vectors/openwrt), over a UCI tree in a temp dir
// and a recording runner: we cannot boot a router here, so this stands in for netifd/procd.
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Command, CommandResult, Daemon, Runner } from "../../src/platform/linux/exec.ts";
import { formatCommand } from "../../src/platform/linux/exec.ts";
import { OpenWrtPlatform } from "../../src/platform/openwrt/index.ts";
import { rpcdAuthenticate, rpcdAuthorize } from "../../src/platform/openwrt/rpcd-auth.ts";
import type { UbusCall } from "../../src/platform/openwrt/ubus-port.ts";
import { UciConfigFile } from "../../src/service/config-file.ts";
import { silentLogger } from "../../src/service/log.ts";
import { Reconciler } from "../../src/service/reconciler.ts";
import { VpnService } from "../../src/service/vpn-service.ts";
import type { BlobmsgTable } from "../../src/ubus/blobmsg-types.ts";
import { UbusClient } from "../../src/ubus/client.ts";
import { UbusError } from "../../src/ubus/errors.ts";
import { parseUci } from "../../src/uci/parse.ts";
import { serializeUci } from "../../src/uci/serialize.ts";
import { UciStore } from "../../src/uci/store.ts";
import { UbusdTestDouble } from "../ubus/ubusd-double.ts";
import { server2, wgQuick } from "../support/fixtures.ts";
import { recorded, VECTORS } from "../support/rpcd-transcript.ts";

/** Records commands; models only what the adapter asks of the system on a router. */
class RouterRunnerDouble implements Runner {
  readonly transcript: string[] = [];
  table = "";
  async run(cmd: Command): Promise<CommandResult> {
    this.transcript.push(formatCommand(cmd));
    const [tool, verb] = cmd.argv;
    if (tool === "nft" && verb === "-f") this.table = cmd.stdin ?? "";
    if (tool === "nft" && verb === "list") return this.table ? { code: 0, stdout: this.table, stderr: "" } : { code: 1, stdout: "", stderr: "No such file or directory" };
    return { code: 0, stdout: "", stderr: "" };
  }
  start(): Daemon {
    throw new Error("nothing is started on OpenWrt: netifd runs the tunnel");
  }
}

const netifdDump = JSON.parse(await readFile(`${VECTORS}/netifd-interface-dump.json`, "utf8")) as BlobmsgTable;

let dir: string;
let broker: UbusdTestDouble;
let client: UbusClient;
let runner: RouterRunnerDouble;
let calls: string[];
let service: VpnService;
let originals: { network: Buffer; dhcp: Buffer };

const file = (name: string) => readFile(join(dir, "etc/config", name));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "enigm-owrt-"));
  await mkdir(join(dir, "etc/config"), { recursive: true });
  // The recorded network file as `uci commit` writes it (byte-identical removal is promised for that form).
  await writeFile(join(dir, "etc/config/network"), serializeUci(parseUci(await readFile(`${VECTORS}/uci/basic/input/network`, "utf8"), "network")));
  await copyFile("test/render/fixtures/dhcp", join(dir, "etc/config/dhcp"));
  originals = { network: await file("network"), dhcp: await file("dhcp") };

  calls = [];
  broker = await UbusdTestDouble.start();
  const record = (name: string, reply?: BlobmsgTable) => (data: BlobmsgTable) => {
    calls.push(`${name} ${JSON.stringify(data)}`);
    return reply;
  };
  broker.addObject("network.interface", { dump: record("network.interface dump", netifdDump) });
  broker.addObject("network", { reload: record("network reload") });
  broker.addObject("network.interface.enigm_vpn", { renew: record("network.interface.enigm_vpn renew") });
  broker.addObject("service", { event: record("service event") });
  client = await UbusClient.connect({ socketPath: broker.socketPath, reconnect: false });
  const ubus: UbusCall = (o, m, a) => client.call(o, m, (a ?? {}) as BlobmsgTable);

  runner = new RouterRunnerDouble();
  const uci = new UciStore({ configDir: join(dir, "etc/config"), saveDir: join(dir, "tmp/.uci") });
  const platform = new OpenWrtPlatform({ ubus, uci, runner, dataDir: join(dir, "etc/enigm-vpn"), fw4Include: join(dir, "usr/share/nftables.d/ruleset-post/90-enigm-vpn.nft"), leasesFile: join(dir, "dhcp.leases") });
  const reconciler = new Reconciler(platform, { tunnelIfname: "enigm_vpn", log: silentLogger });
  service = new VpnService(new UciConfigFile(uci), reconciler, { rollbackMs: 100 });
  await service.start();
  await service.importConfig({ text: wgQuick().replace("vpn.example.net", "203.0.113.7"), name: "Cafe" });
  calls.length = 0;
});

afterEach(async () => {
  client.close();
  await broker.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("OpenWrt adapter (ubusd test double with recorded netifd/rpcd replies)", () => {
  it("enable writes the wireguard interface, peer and routes to network and dnsmasq to dhcp, then reloads through ubus", async () => {
    await service.enable();
    expect(calls).toEqual(["network.interface dump {}", "network reload {}", 'service event {"type":"config.change","data":{"package":"dhcp"}}']);
    const network = (await file("network")).toString();
    expect(network.startsWith(originals.network.toString())).toBe(true);
    expect(network.slice(originals.network.length)).toMatch(
      /^config interface 'enigm_vpn'\n\toption proto 'wireguard'\n\toption private_key '[^']+'\n\tlist addresses '10\.66\.0\.2\/32'\n\tlist addresses 'fd66::2\/128'\n\toption mtu '1420'\n/,
    );
    expect(network).toContain("config wireguard_enigm_vpn 'enigm_vpn_peer'\n\toption description 'Cafe'");
    expect(network).toContain("\toption endpoint_host '203.0.113.7'\n\toption endpoint_port '51820'");
    expect(network).toContain("config route 'enigm_vpn_route0'\n\toption interface 'enigm_vpn'\n\toption target '0.0.0.0/1'");
    expect((await stat(join(dir, "etc/config/network"))).mode & 0o777).toBe(0o600);
    expect((await file("dhcp")).toString()).toContain("list server '10.66.0.1@enigm_vpn'");
    // the lan/wan devices come from the recorded netifd dump
    expect(runner.table).toContain('"veth-lan"');
    expect(runner.transcript).toContain(`nft -f - <<< (${runner.table.length} bytes)`);
    expect(await readFile(join(dir, "etc/enigm-vpn/boot.nft"), "utf8")).toBe(runner.table);
    expect((await stat(join(dir, "etc/enigm-vpn/boot.nft"))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, "usr/share/nftables.d/ruleset-post/90-enigm-vpn.nft"), "utf8")).toBe(runner.table);
    expect(runner.transcript.join("\n")).not.toMatch(/PrivateKey|private_key/);
  });

  it("disable removes everything of ours: network and dhcp are byte-identical to before", async () => {
    await service.enable();
    calls.length = 0;
    await service.disable();
    expect(await file("network")).toEqual(originals.network);
    expect(await file("dhcp")).toEqual(originals.dhcp);
    expect(calls).toEqual(["network.interface dump {}", "network reload {}", 'service event {"type":"config.change","data":{"package":"dhcp"}}']);
    expect(runner.table).not.toContain('oifname != "enigm_vpn"');
  });

  it("a change of peer only renews the interface instead of reloading the network", async () => {
    await service.enable();
    await service.importConfig({ text: wgQuick().replace("vpn.example.net", "203.0.113.8").replace(/PublicKey = .*/, `PublicKey = ${server2.publicKey}`), name: "Airport" });
    calls.length = 0;
    await service.moveServer("Airport", 0);
    expect(calls).toEqual(["network.interface dump {}", "network.interface.enigm_vpn renew {}"]);
    expect((await file("network")).toString()).toContain("option endpoint_host '203.0.113.8'");
  });

  it("rollback: a guarded change not confirmed in time puts the UCI files and the ruleset back to their previous bytes", async () => {
    const before = { network: await file("network"), dhcp: await file("dhcp"), config: await file("enigm-vpn"), table: runner.table };
    await service.guarded(() => service.enable());
    expect(await file("network")).not.toEqual(before.network);
    await new Promise((r) => setTimeout(r, 250));
    expect(service.status().pendingApply).toBeNull();
    expect(await file("network")).toEqual(before.network);
    expect(await file("dhcp")).toEqual(before.dhcp);
    expect(await file("enigm-vpn")).toEqual(before.config);
    expect(runner.table).toBe(before.table);
  });

  it("a missing table (fw4 flush) is noticed and loaded again", async () => {
    await service.enable();
    const loaded = runner.table;
    runner.table = "";
    await service.reconciler.tick();
    expect(runner.table).toBe(loaded);
  });
});

describe("web logins through rpcd (recorded session replies)", () => {
  it("logs in with the router's account and checks each operation against the ACL", async () => {
    const login = recorded("session", "login");
    const access = recorded("session", "access");
    const denied = new Set(["set_policy"]);
    broker.addObject("session", {
      login: (data) => {
        if (data.password !== login.args.password) throw new UbusError(6);
        return login.reply as BlobmsgTable;
      },
      access: (data) => ({ access: data.object === "enigm.vpn" && !denied.has(String(data.function)) ? access.reply!.access : false }) as BlobmsgTable,
      destroy: () => undefined,
    });
    const ubus: UbusCall = (o, m, a) => client.call(o, m, (a ?? {}) as BlobmsgTable);
    const who = await rpcdAuthenticate(ubus)("root", String(login.args.password));
    expect(who).toEqual({ permission: "write", ref: login.reply!.ubus_rpc_session });
    expect(await rpcdAuthenticate(ubus)("root", "wrong")).toBeNull();
    const authorize = rpcdAuthorize(ubus);
    expect(await authorize(who!.ref!, "enable")).toBe(true);
    expect(await authorize(who!.ref!, "set_policy")).toBe(false);
  });
});
