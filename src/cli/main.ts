// enigm-vpn: the admin CLI. Friendly commands for the common tasks; every operation of the
// table is also callable by name with key=value arguments, so nothing is CLI-only or missing.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { operations } from "../api/operations.ts";
import type { ServerView, Status } from "../service/vpn-service.ts";
import { callControl, ControlError } from "./control-client.ts";
import { formatServers, formatStatus } from "./format.ts";

const USAGE = `usage: enigm-vpn [--socket PATH] [--json] COMMAND
  status                      state, server, handshake, counters
  enable | disable            switch the VPN on or off (as far as the policy allows)
  import FILE|- [--name N] [--replace]   add the servers of a wg-quick .conf file
  export                      the configuration as a wg-quick file, without secrets
  servers                     list servers in failover order
  servers remove NAME | servers move NAME POSITION | servers rename NAME NEW
  policy [optional|required|forbidden] [--lock|--unlock]
  settings [killSwitch=on|off] [dnsProtection=on|off] [ipv6=tunnel|block]
  keys                        make a new key pair on the router, print the public key
  passwd                      set the web UI password (read from standard input)
  OPERATION [key=value ...]   any operation by name: ${operations.map((o) => o.name).join(", ")}`;

class Usage extends Error {}

function value(text: string): unknown {
  if (text === "true" || text === "on") return true;
  if (text === "false" || text === "off") return false;
  if (/^-?\d+$/.test(text)) return Number(text);
  return text;
}

function pairs(args: string[]): Record<string, unknown> {
  return Object.fromEntries(
    args.map((a) => {
      const eq = a.indexOf("=");
      if (eq < 1) throw new Usage(`expected key=value, got ${JSON.stringify(a)}`);
      return [a.slice(0, eq), value(a.slice(eq + 1))];
    }),
  );
}

function readInput(file: string): string {
  return readFileSync(file === "-" ? 0 : file, "utf8");
}

async function run(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      socket: { type: "string", default: process.env.ENIGM_VPN_SOCKET ?? "/var/run/enigm-vpn/control.sock" },
      json: { type: "boolean", default: false },
      name: { type: "string" },
      replace: { type: "boolean", default: false },
      lock: { type: "boolean" },
      unlock: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [cmd, ...rest] = positionals;
  if (values.help || !cmd) return USAGE;
  const call = (name: string, input: unknown = {}) => callControl(values.socket!, name, input);
  const out = (data: unknown, human: () => string) => (values.json ? JSON.stringify(data, null, 2) : human());

  switch (cmd) {
    case "status":
    case "enable":
    case "disable": {
      const s = (await call(cmd)) as Status;
      return out(s, () => formatStatus(s, Date.now()));
    }
    case "import": {
      if (rest.length !== 1) throw new Usage("import takes one FILE, or - for standard input");
      const r = (await call("import_config", { text: readInput(rest[0]!), ...(values.name ? { name: values.name } : {}), replace: values.replace })) as { added: string[]; warnings: string[] };
      return out(r, () => [`added: ${r.added.join(", ")}`, ...r.warnings.map((w) => `warning: ${w}`)].join("\n"));
    }
    case "export": {
      const r = (await call("export_config")) as { text: string };
      return out(r, () => r.text.trimEnd());
    }
    case "servers": {
      const [sub, ...args] = rest;
      const r = (await (sub === undefined || sub === "list"
        ? call("list_servers")
        : sub === "remove" && args.length === 1
          ? call("remove_server", { name: args[0] })
          : sub === "move" && args.length === 2
            ? call("move_server", { name: args[0], position: Number(args[1]) })
            : sub === "rename" && args.length === 2
              ? call("rename_server", { name: args[0], new_name: args[1] })
              : Promise.reject(new Usage("servers [list | remove NAME | move NAME POSITION | rename NAME NEW]")))) as { servers: ServerView[] };
      return out(r, () => formatServers(r.servers));
    }
    case "policy": {
      const change = { ...(rest[0] ? { mode: rest[0] } : {}), ...(values.lock ? { locked: true } : values.unlock ? { locked: false } : {}) };
      const r = (await call(Object.keys(change).length ? "set_policy" : "get_policy", change)) as { mode: string; locked: boolean };
      return out(r, () => `${r.mode}${r.locked ? " (locked)" : ""}`);
    }
    case "settings": {
      const r = (await call(rest.length ? "set_settings" : "get_settings", pairs(rest))) as Record<string, unknown>;
      return out(r, () => Object.entries(r).filter(([k]) => k !== "locked" && k !== "reason").map(([k, v]) => `${k}=${v === true ? "on" : v === false ? "off" : v}`).join("\n"));
    }
    case "keys": {
      const r = (await call("generate_keys")) as { publicKey: string };
      return out(r, () => `public key: ${r.publicKey}\nregister it with your VPN provider; the private key stays on the router`);
    }
    case "passwd": {
      const password = readInput("-").split(/\r?\n/)[0] ?? "";
      const r = await call("passwd", { password });
      return out(r, () => "web password set");
    }
    default: {
      if (!operations.some((o) => o.name === cmd)) throw new Usage(`unknown command ${JSON.stringify(cmd)}`);
      return JSON.stringify(await call(cmd, pairs(rest)), null, 2);
    }
  }
}

try {
  process.stdout.write(`${await run(process.argv.slice(2))}\n`);
} catch (err) {
  if (err instanceof Usage || (err as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    process.stderr.write(`enigm-vpn: ${(err as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (err instanceof ControlError) {
    process.stderr.write(`enigm-vpn: ${err.message}\n`);
    process.exitCode = err.code === "unreachable" ? 3 : 1;
  } else throw err;
}
