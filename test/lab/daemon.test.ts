// Scenarios 3 and 8 through the real daemon: `enigm-vpnd --platform linux` running in the
// router namespace, driven by the `enigm-vpn` CLI over its control socket.
import type { ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ATTEMPT_WINDOW_MS, attempt, until } from "./attempts.ts";
import { isRoot, run } from "./exec.ts";
import { ADDR, type Agent, Lab } from "./topology.ts";

/** The bundles under test; ENIGM_VPND_BUNDLE points the lab at another daemon build. */
const DAEMON = resolve(process.env.ENIGM_VPND_BUNDLE ?? "dist/enigm-vpnd.mjs");
const CLI = resolve("dist/enigm-vpn.mjs");

describe.skipIf(!isRoot)("lab: the real daemon in the router namespace", () => {
  let lab: Lab;
  let c1: Agent;
  let c2: Agent;
  let daemon: ChildProcess;
  let dataDir: string;
  let socket: string;

  const cli = (...args: string[]) => run([process.execPath, CLI, "--socket", socket, "--json", ...args]);
  const status = async () => {
    const r = await cli("status");
    return r.code === 0 ? (JSON.parse(r.stdout) as { state: string; reason: string }) : null;
  };

  async function startDaemon(): Promise<void> {
    daemon = lab.spawn(
      lab.ns.router,
      [process.execPath, DAEMON, "--platform", "linux", "--data-dir", dataDir, "--listen", "off", "--control-socket", socket, "--lan", lab.lanIface, "--wan", lab.wanIface, "--tunnel-ifname", lab.routerTunnel, "--tick-ms", "250"],
      { group: true },
    );
    daemon.stdout!.resume();
    let stderr = "";
    daemon.stderr!.on("data", (d: Buffer) => (stderr += d));
    await until(
      "daemon answering on its control socket",
      async () => {
        if (daemon.exitCode !== null) throw new Error(`enigm-vpnd exited ${daemon.exitCode}: ${stderr.trim()}`);
        return (await status()) ? { ok: true, value: "" } : { ok: false, error: `no answer; stderr: ${stderr.trim()}` };
      },
      15_000,
    );
  }

  const protectedState = () =>
    until(
      "state protected",
      async () => {
        const s = await status();
        return s?.state === "protected" ? { ok: true, value: s.state } : { ok: false, error: `${s?.state}: ${s?.reason}` };
      },
      15_000,
    );
  const throughTunnel = () =>
    until("HTTP through the tunnel", async () => {
      const r = await c1.ask({ op: "http", url: `http://${ADDR.web4}/`, timeoutMs: 1000 });
      return r.ok && r.value.endsWith(ADDR.tunnelClient4) ? r : { ok: false, error: r.ok ? r.value : r.error };
    });

  beforeAll(async () => {
    lab = await Lab.create();
    c1 = await lab.agent(lab.ns.c1);
    c2 = await lab.agent(lab.ns.c2);
    dataDir = join(lab.dir, "daemon");
    socket = join(lab.dir, "control.sock");
    await startDaemon();
    const conf = join(lab.dir, "lab.conf");
    await writeFile(conf, lab.clientConf(), { mode: 0o600 });
    const imported = await cli("import", conf, "--name", "lab");
    if (imported.code !== 0) throw new Error(`import: ${imported.stderr}`);
  }, 60_000);

  afterAll(async () => {
    await lab?.destroy();
  }, 30_000);

  it("3: kill -9 of the daemon (and then of what it started) with the kill switch on: 0 leaked; a restart restores traffic", async () => {
    expect((await cli("settings", "killSwitch=on", "ipv6=tunnel")).code).toBe(0);
    expect((await cli("enable")).code).toBe(0);
    await protectedState();
    await throughTunnel();

    const cap = await lab.capture();
    process.kill(daemon.pid!, "SIGKILL");
    await attempt([c1, c2], ATTEMPT_WINDOW_MS / 2);
    // Worst case: the daemon's whole process group dies, wireguard-go and dnsmasq with it.
    process.kill(-daemon.pid!, "SIGKILL");
    const r = await attempt([c1, c2], ATTEMPT_WINDOW_MS);
    expect(r.answered).toEqual([]);
    const c = await cap.stop();
    expect(c.lanOriginated).toEqual([]);
    expect(c.leaked).toEqual([]);
    expect(c.dns).toEqual([]);

    await startDaemon();
    await protectedState();
    await throughTunnel();
  }, 90_000);

  it("8: policy through the daemon: required refuses disable, forbidden refuses enable", async () => {
    expect((await cli("policy", "required")).code).toBe(0);
    const disable = await cli("disable");
    expect(disable.code).toBe(1);
    expect(disable.stderr).toMatch(/policy requires the VPN/);
    await throughTunnel();

    expect((await cli("policy", "forbidden")).code).toBe(0);
    const enable = await cli("enable");
    expect(enable.code).toBe(1);
    expect(enable.stderr).toMatch(/policy/);
    expect((await status())?.state).toBe("not_allowed");
    // Forbidden means no tunnel and no kill switch: the LAN goes direct.
    expect(await until("direct HTTP", () => c1.ask({ op: "http", url: `http://${ADDR.web4}/`, timeoutMs: 1000 }))).toEqual({ ok: true, value: `200 hello ${ADDR.c1v4}` });
  }, 60_000);
});
