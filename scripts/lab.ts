// npm run lab (root): the namespace lab with the real daemon on the router and its web UI on
// the host's loopback, for a demo. Runs until Ctrl-C, then removes everything;
// `npm run lab -- --down` removes a lab whose script was killed before it could.
import { createServer, connect } from "node:net";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { must, run } from "../test/lab/exec.ts";
import { ADDR, Lab, type Leftovers, sweep } from "../test/lab/topology.ts";

const STATE = "/run/enigm-vpn-lab.json";
const DAEMON = resolve(process.env.ENIGM_VPND_BUNDLE ?? "dist/enigm-vpnd.mjs");
const CLI = resolve("dist/enigm-vpn.mjs");
const UI_PORT_IN_ROUTER = 8080;

const { values } = parseArgs({ options: { down: { type: "boolean" }, port: { type: "string", default: "8080" }, password: { type: "string", default: "enigm-lab" } } });

if (process.getuid?.() !== 0) {
  process.stderr.write("npm run lab: needs root (network namespaces)\n");
  process.exit(2);
}

if (values.down) {
  const state = await readFile(STATE, "utf8").catch(() => null);
  if (state === null) {
    process.stdout.write("no lab is up\n");
  } else {
    await sweep(JSON.parse(state) as Leftovers);
    await rm(STATE, { force: true });
    process.stdout.write("lab removed\n");
  }
  process.exit(0);
}

if (await readFile(STATE, "utf8").catch(() => null)) {
  process.stderr.write(`a lab is already up (${STATE}); remove it with: npm run lab -- --down\n`);
  process.exit(1);
}

const lab = await Lab.create();
await writeFile(STATE, JSON.stringify(lab.leftovers()), { mode: 0o600 });
const shutdown = async () => {
  await lab.destroy();
  await rm(STATE, { force: true });
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);

try {
  const socket = join(lab.dir, "control.sock");
  const cli = (args: string[], stdin?: string) => must([process.execPath, CLI, "--socket", socket, ...args], stdin === undefined ? {} : { stdin });
  const daemon = lab.spawn(
    lab.ns.router,
    [process.execPath, DAEMON, "--platform", "linux", "--data-dir", join(lab.dir, "daemon"), "--listen", `127.0.0.1:${UI_PORT_IN_ROUTER}`, "--control-socket", socket, "--lan", lab.lanIface, "--wan", lab.wanIface, "--tunnel-ifname", lab.routerTunnel],
    { group: true },
  );
  daemon.stdout!.resume();
  daemon.stderr!.on("data", (d: Buffer) => process.stderr.write(d));
  for (let i = 0; (await run([process.execPath, CLI, "--socket", socket, "status"])).code !== 0; i++) {
    if (i > 100) throw new Error("the daemon did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const conf = join(lab.dir, "lab.conf");
  await writeFile(conf, lab.clientConf(), { mode: 0o600 });
  await cli(["import", conf, "--name", "lab"]);
  await cli(["passwd"], `${values.password}\n`);

  // The UI listens on the router's loopback; a Unix socket (not bound to any netns) carries it to the host's.
  const uiSocket = join(lab.dir, "ui.sock");
  const bridged = await (await lab.agent(lab.ns.router)).ask({ op: "forward", unixPath: uiSocket, port: UI_PORT_IN_ROUTER });
  if (!bridged.ok) throw new Error(`UI bridge: ${bridged.error}`);
  const port = Number(values.port);
  await new Promise<void>((ok, fail) => {
    const server = createServer((client) => {
      const upstream = connect(uiSocket);
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    server.on("error", fail);
    server.listen(port, "127.0.0.1", ok);
  });

  process.stdout.write(
    [
      `lab ${lab.tag} is up.`,
      `  web UI:   http://127.0.0.1:${port}/   (password: ${values.password})`,
      `  CLI:      node ${CLI} --socket ${socket} status|enable|disable|settings killSwitch=on`,
      `  a client: ip netns exec ${lab.ns.c1} ping ${ADDR.web4}   (web server: http://${ADDR.web4}/ answers with the source address it saw)`,
      `  uplink:   ip netns exec ${lab.ns.router} tcpdump -ni ${lab.wanIface}`,
      "Ctrl-C removes it.",
      "",
    ].join("\n"),
  );
} catch (err) {
  process.stderr.write(`npm run lab: ${(err as Error).message}\n`);
  await shutdown();
}
