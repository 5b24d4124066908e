// enigm-vpnd: the only place that reads argv and the environment and picks a platform.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { invoke } from "./api/invoke.ts";
import { operations } from "./api/operations.ts";
import type { Config } from "./core/config.ts";
import { type DaemonOptions, startDaemon } from "./daemon.ts";
import { ProcessRunner } from "./platform/linux/exec.ts";
import { LinuxPlatform } from "./platform/linux/index.ts";
import { OpenWrtPlatform } from "./platform/openwrt/index.ts";
import { rpcdAuthenticate, rpcdAuthorize } from "./platform/openwrt/rpcd-auth.ts";
import type { UbusCall } from "./platform/openwrt/ubus-port.ts";
import { demoConfig } from "./platform/sim/demo-config.ts";
import { SimPlatform } from "./platform/sim/index.ts";
import { UciConfigFile } from "./service/config-file.ts";
import { stderrLogger } from "./service/log.ts";
import type { BlobmsgTable } from "./ubus/blobmsg-types.ts";
import { UbusClient } from "./ubus/client.ts";
import { registerEnigmObject } from "./ubus/enigm-object.ts";
import { UciStore } from "./uci/store.ts";

const USAGE = `usage: enigm-vpnd [--platform sim|linux|openwrt] [--data-dir DIR] [--config-dir DIR]
                  [--listen HOST:PORT|off] [--control-socket PATH] [--lan IF,..] [--wan IF,..]
                  [--tunnel-ifname NAME] [--web-root DIR] [--tick-ms MS] [--ubus-socket PATH]`;

function fail(message: string): never {
  process.stderr.write(`enigm-vpnd: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        platform: { type: "string", default: "sim" },
        "data-dir": { type: "string" },
        "config-dir": { type: "string" },
        listen: { type: "string", default: "127.0.0.1:8080" },
        "control-socket": { type: "string" },
        lan: { type: "string" },
        wan: { type: "string" },
        "tunnel-ifname": { type: "string" },
        "web-root": { type: "string" },
        "tick-ms": { type: "string" },
        "ubus-socket": { type: "string", default: "/var/run/ubus/ubus.sock" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    fail((err as Error).message);
  }
})();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

function parseListen(text: string): { host: string; port: number } | null {
  if (text === "off") return null;
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(text);
  if (!m || Number(m[2]) > 65535) fail(`--listen: expected HOST:PORT or off, got ${JSON.stringify(text)}`);
  return { host: m[1]!, port: Number(m[2]) };
}

const platformName = values.platform!;
if (!["sim", "linux", "openwrt"].includes(platformName)) fail(`--platform: expected sim, linux or openwrt, got ${JSON.stringify(platformName)}`);
const defaults = {
  sim: { dataDir: ".data", tunnel: "enigmvpn0", tickMs: 500 },
  linux: { dataDir: "/var/lib/enigm-vpn", tunnel: "enigmvpn0", tickMs: 2000 },
  // netifd names the link after the UCI section, which is ours: enigm_vpn.
  openwrt: { dataDir: "/etc/enigm-vpn", tunnel: "enigm_vpn", tickMs: 2000 },
}[platformName as "sim" | "linux" | "openwrt"];
const dataDir = resolve(values["data-dir"] ?? defaults.dataDir);
const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
const here = dirname(fileURLToPath(import.meta.url));
const tickMs = values["tick-ms"] ? Number(values["tick-ms"]) : defaults.tickMs;
if (!Number.isInteger(tickMs) || tickMs < 50) fail(`--tick-ms: expected a whole number of at least 50, got ${JSON.stringify(values["tick-ms"])}`);
const tunnelIfname = values["tunnel-ifname"] ?? defaults.tunnel;
if (tunnelIfname.length > 15) fail(`--tunnel-ifname: at most 15 characters, got ${JSON.stringify(tunnelIfname)}`);
const configDir = values["config-dir"] ?? (platformName === "openwrt" ? "/etc/config" : dataDir);
const uci = new UciStore({ configDir, saveDir: platformName === "openwrt" ? "/tmp/.uci" : join(dataDir, ".uci") });
const log = stderrLogger();

type PlatformParts = Pick<DaemonOptions, "platform" | "authenticate" | "authorize"> & { ubus?: UbusClient };

async function makePlatform(): Promise<PlatformParts> {
  switch (platformName) {
    case "linux":
      return { platform: new LinuxPlatform({ dataDir, lanIfaces: list(values.lan ?? "br-lan"), wanIfaces: list(values.wan ?? "eth0") }) };
    case "openwrt": {
      const client = await UbusClient.connect({ socketPath: values["ubus-socket"]! });
      client.on("warning", (msg: string) => log.warn(`ubus: ${msg}`));
      const ubus: UbusCall = (object, method, args) => client.call(object, method, (args ?? {}) as BlobmsgTable);
      return {
        platform: new OpenWrtPlatform({ ubus, uci, runner: new ProcessRunner(), dataDir, ...(values.lan ? { lanNetworks: list(values.lan) } : {}), ...(values.wan ? { wanNetworks: list(values.wan) } : {}) }),
        authenticate: rpcdAuthenticate(ubus),
        authorize: rpcdAuthorize(ubus),
        ubus: client,
      };
    }
    default:
      return { platform: new SimPlatform() };
  }
}

const parts = await makePlatform();
const initial: (() => Config) | undefined = platformName === "sim" ? demoConfig : undefined;
const daemon = await startDaemon({
  ...parts,
  repo: new UciConfigFile(uci, initial),
  log,
  listen: parseListen(values.listen!),
  controlSocket: values["control-socket"] ?? (platformName === "sim" ? join(dataDir, "control.sock") : "/var/run/enigm-vpn/control.sock"),
  webRoot: values["web-root"] ?? join(here, "web"),
  tunnelIfname,
  tickMs,
});

if (parts.ubus) {
  const service = daemon.service;
  const object = await registerEnigmObject(parts.ubus, { operations, invoke: (name, input, caller) => invoke(service, name, input, caller) });
  service.reconciler.on("state", () => void object.publishState(service.status() as unknown as BlobmsgTable).catch(() => {}));
}

// procd's reload (config edited with uci, uplink up/down from hotplug) arrives as SIGHUP.
process.on("SIGHUP", () => {
  log.info("SIGHUP: reloading the configuration");
  daemon.service.start().catch((err: Error) => log.error(`reload failed: ${err.message}`));
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log.info(`${signal}: stopping (the firewall table stays as it is)`);
    void daemon
      .stop()
      .then(() => parts.ubus?.close())
      .then(() => process.exit(0));
  });
}
