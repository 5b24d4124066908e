// The real daemon bundle with --platform openwrt, in a throwaway network namespace (so its
// nftables table never touches this machine), against the ubusd test double standing in for
// a router's ubusd, netifd and procd: enigm.vpn is registered with one method per operation,
// answers `ubus call`, applies through UCI and netifd, and sends state events.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operations } from "../../src/api/operations.ts";
import type { BlobmsgTable } from "../../src/ubus/blobmsg-types.ts";
import { UbusClient } from "../../src/ubus/client.ts";
import { isRoot, must, run, runTag } from "../lab/exec.ts";
import { UbusdTestDouble } from "../ubus/ubusd-double.ts";
import { client as keys, wgQuick } from "../support/fixtures.ts";
import { VECTORS } from "../support/rpcd-transcript.ts";

describe.skipIf(!isRoot)("enigm-vpnd --platform openwrt on the ubusd test double", () => {
  const ns = `eow-${runTag()}`;
  let dir: string;
  let broker: UbusdTestDouble;
  let client: UbusClient;
  let daemon: ChildProcess;
  let stderr = "";
  const calls: string[] = [];
  const events: BlobmsgTable[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "enigm-owd-"));
    await mkdir(join(dir, "config"));
    await writeFile(join(dir, "config/network"), "\nconfig interface 'lan'\n\toption device 'br-lan'\n\toption proto 'static'\n");
    broker = await UbusdTestDouble.start();
    const dump = JSON.parse(await readFile(`${VECTORS}/netifd-interface-dump.json`, "utf8")) as BlobmsgTable;
    const record = (name: string, reply?: BlobmsgTable) => () => {
      calls.push(name);
      return reply;
    };
    broker.addObject("network.interface", { dump: record("network.interface dump", dump) });
    broker.addObject("network", { reload: record("network reload") });
    broker.addObject("service", { event: record("service event") });
    client = await UbusClient.connect({ socketPath: broker.socketPath, reconnect: false });
    await client.listen("enigm.vpn.state", (_type, data) => events.push(data));
    await must(["ip", "netns", "add", ns]);
    daemon = spawn(
      "ip",
      ["netns", "exec", ns, process.execPath, resolve("dist/enigm-vpnd.mjs"), "--platform", "openwrt", "--ubus-socket", broker.socketPath, "--config-dir", join(dir, "config"), "--data-dir", join(dir, "state"), "--listen", "off", "--control-socket", join(dir, "control.sock"), "--tick-ms", "200"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    daemon.stderr!.on("data", (d: Buffer) => (stderr += d));
    await client.waitFor(["enigm.vpn"], 15_000).catch((err: Error) => {
      throw new Error(`${err.message}; daemon stderr: ${stderr}`);
    });
  });

  afterAll(async () => {
    if (daemon && daemon.exitCode === null) {
      const gone = new Promise((r) => daemon.once("exit", r));
      daemon.kill("SIGTERM");
      await gone;
    }
    client?.close();
    await broker?.stop();
    await run(["ip", "netns", "del", ns]);
    await rm(dir, { recursive: true, force: true });
  });

  it("registers enigm.vpn with one method per operation, argument types from the schemas", async () => {
    const [obj] = await client.lookup("enigm.vpn");
    const signature = obj?.signature ?? {};
    expect(Object.keys(signature).sort()).toEqual(operations.map((o) => o.name).sort());
    expect(signature.import_config).toEqual({ text: 3, name: 3, replace: 7 });
    expect(signature.move_server).toEqual({ name: 3, position: 5 });
  });

  it("answers ubus calls, applies through UCI and netifd, and sends state events", async () => {
    expect(await client.call("enigm.vpn", "status")).toMatchObject({ state: "off", policy: { mode: "optional", locked: false } });
    await client.call("enigm.vpn", "import_config", { text: wgQuick().replace("vpn.example.net", "203.0.113.7"), name: "Cafe" });
    calls.length = 0;
    const status = (await client.call("enigm.vpn", "enable")) as { state: string; applyError: unknown };
    expect(status).toMatchObject({ state: "connecting", applyError: null });
    expect(calls).toContain("network reload");
    expect(await readFile(join(dir, "config/network"), "utf8")).toContain("config interface 'enigm_vpn'\n\toption proto 'wireguard'");
    expect(await readFile(join(dir, "config/enigm-vpn"), "utf8")).toContain("option enabled '1'");
    expect(events.some((e) => e.state === "connecting")).toBe(true);
    expect(JSON.stringify(events)).not.toContain(keys.privateKey);
  });

  it("a bad argument is refused with the field named, as a ubus error", async () => {
    await expect(client.call("enigm.vpn", "set_settings", { ipv6: "sometimes" })).rejects.toMatchObject({ code: "UBUS_STATUS_INVALID_ARGUMENT" });
  });
});
