// enigm-vpnd: the only place that reads argv and the environment and picks a platform.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startDaemon } from "./daemon.ts";
import { demoConfig } from "./platform/sim/demo-config.ts";
import { SimPlatform } from "./platform/sim/index.ts";
import type { Platform } from "./platform/types.ts";
import { UciConfigFile } from "./service/config-file.ts";
import { stderrLogger } from "./service/log.ts";

const USAGE = `usage: enigm-vpnd [--platform sim|linux] [--data-dir DIR] [--config FILE]
                  [--listen HOST:PORT|off] [--control-socket PATH] [--lan IF,..] [--wan IF,..]
                  [--tunnel-ifname NAME] [--web-root DIR] [--tick-ms MS]`;

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
        config: { type: "string" },
        listen: { type: "string", default: "127.0.0.1:8080" },
        "control-socket": { type: "string" },
        lan: { type: "string", default: "br-lan" },
        wan: { type: "string", default: "wan" },
        "tunnel-ifname": { type: "string", default: "enigmvpn0" },
        "web-root": { type: "string" },
        "tick-ms": { type: "string" },
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
const dataDir = resolve(values["data-dir"] ?? (platformName === "sim" ? ".data" : "/var/lib/enigm-vpn"));
const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
const here = dirname(fileURLToPath(import.meta.url));
const tickMs = values["tick-ms"] ? Number(values["tick-ms"]) : platformName === "sim" ? 500 : 2000;
if (!Number.isInteger(tickMs) || tickMs < 50) fail(`--tick-ms: expected a whole number of at least 50, got ${JSON.stringify(values["tick-ms"])}`);
if (values["tunnel-ifname"]!.length > 15) fail(`--tunnel-ifname: at most 15 characters, got ${JSON.stringify(values["tunnel-ifname"])}`);

async function makePlatform(): Promise<Platform> {
  switch (platformName) {
    case "sim":
      return new SimPlatform();
    default:
      fail(`--platform: expected sim, got ${JSON.stringify(platformName)}`);
  }
}

const log = stderrLogger();
const daemon = await startDaemon({
  platform: await makePlatform(),
  repo: new UciConfigFile(values.config ?? join(dataDir, "enigm-vpn"), platformName === "sim" ? demoConfig : undefined),
  log,
  listen: parseListen(values.listen!),
  controlSocket: values["control-socket"] ?? (platformName === "sim" ? join(dataDir, "control.sock") : "/var/run/enigm-vpn/control.sock"),
  webRoot: values["web-root"] ?? join(here, "web"),
  tunnelIfname: values["tunnel-ifname"]!,
  tickMs,
});

// procd's reload (config edited with uci, uplink up/down from hotplug) arrives as SIGHUP.
process.on("SIGHUP", () => {
  log.info("SIGHUP: reloading the configuration");
  daemon.service.start().catch((err: Error) => log.error(`reload failed: ${err.message}`));
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log.info(`${signal}: stopping (the firewall table stays as it is)`);
    void daemon.stop().then(() => process.exit(0));
  });
}
