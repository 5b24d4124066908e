// The Linux gateway adapter: nftables (one transaction), WireGuard (kernel link, else
// wireguard-go), policy routing, and dnsmasq as the LAN resolver. Every command goes through
// a Runner, so tests can run it in a network namespace or record what it would do.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { TUNNEL_FWMARK } from "../../core/plan.ts";
import type { Plan, PlanTunnel } from "../../core/plan-types.ts";
import { renderNftRuleset } from "../../render/nft.ts";
import { applyOrRestore } from "../apply-or-restore.ts";
import type { NetworkFacts, Platform, ProbeResult, TunnelStats } from "../types.ts";
import { dnsmasqCommand, renderDnsmasqConf } from "./dnsmasq.ts";
import { type Command, check, type Daemon, ProcessRunner, type Runner } from "./exec.ts";
import { lanRoutesCommands, linkAddKernelCommand, linkConfigCommands, linkDelCommand, linkShowCommand, parseRoutePrefixes, routingCommands, routingTeardownCommands } from "./ip.ts";
import { NftTable } from "./nft-table.ts";
import { sleep, stopStale, writePidFile } from "./processes.ts";
import { probeTunnel, resolveHost, tunnelStats } from "./tunnel-health.ts";
import { renderWgConf, setconfCommand } from "./wg.ts";

export interface LinuxPlatformOptions {
  /** Where the boot ruleset, dnsmasq config and PID files live (created 0700). */
  dataDir: string;
  lanIfaces: string[];
  wanIfaces: string[];
  /** Run every command inside this network namespace (the lab); ignored when `runner` is given. */
  netns?: string;
  runner?: Runner;
  /** Policy-routing table of the tunnel (default: the tunnel fwmark, as wg-quick does). */
  routeTable?: number;
  /** Run dnsmasq as the LAN resolver (default true). Off when the gateway has its own. */
  manageResolver?: boolean;
  /** The uplink's resolvers, for the LAN resolver when DNS is not protected. */
  resolvFile?: string;
  /** How long wireguard-go may take to bring its interface up. */
  linkTimeoutMs?: number;
}

const WIREGUARD_GO_ENV = { WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: "1", LOG_LEVEL: "error" };

interface TunnelState {
  ifname: string;
  /** wireguard-go, when the kernel has no WireGuard. */
  daemon: Daemon | null;
  /** What was configured (WireGuard + addresses; routing), to skip unchanged steps on re-apply. */
  wgKey: string | null;
  routingKey: string | null;
}

export class LinuxPlatform implements Platform {
  readonly name = "linux";
  private readonly runner: Runner;
  private readonly table: number;
  /** Our table as the kernel listed it right after loading, to notice any later change. */
  private readonly firewall: NftTable;
  private applied: Plan | null = null;
  private tunnel: TunnelState | null = null;
  private resolver: { daemon: Daemon; conf: string } | null = null;
  private started = false;

  constructor(private readonly opts: LinuxPlatformOptions) {
    this.runner = opts.runner ?? new ProcessRunner(opts.netns);
    this.firewall = new NftTable(this.runner);
    this.table = opts.routeTable ?? TUNNEL_FWMARK;
  }

  private path(name: string): string {
    return join(this.opts.dataDir, name);
  }

  async facts(): Promise<NetworkFacts> {
    const macs = new Set<string>();
    for (const dev of this.opts.lanIfaces) {
      const r = await this.runner.run({ argv: ["ip", "-j", "neigh", "show", "dev", dev] });
      if (r.code !== 0) continue;
      for (const n of JSON.parse(r.stdout || "[]") as { lladdr?: string; state?: string[] }[]) {
        if (n.lladdr && !n.state?.some((s) => s === "FAILED" || s === "INCOMPLETE")) macs.add(n.lladdr);
      }
    }
    return { lanIfaces: this.opts.lanIfaces, wanIfaces: this.opts.wanIfaces, lanClients: macs.size };
  }

  resolve(host: string): Promise<string[]> {
    return resolveHost(host);
  }

  async apply(plan: Plan): Promise<void> {
    await applyOrRestore(this.applied, plan, (p) => this.reconcile(p), () => {
      if (this.tunnel) this.tunnel.wgKey = this.tunnel.routingKey = null;
    });
    this.applied = plan;
  }

  private async reconcile(plan: Plan): Promise<void> {
    if (!this.started) {
      await mkdir(this.opts.dataDir, { recursive: true, mode: 0o700 });
      await stopStale(this.path("wireguard-go.pid"), "wireguard-go");
      await stopStale(this.path("dnsmasq.pid"), "dnsmasq");
      this.started = true;
    }
    // Firewall first: from here on the kernel enforces the plan whatever the rest does.
    await this.firewall.load(renderNftRuleset(plan), [this.path("firewall.nft")]);

    if (plan.tunnel) await this.upTunnel(plan.tunnel, plan.firewall.killSwitch);
    else await this.downTunnel();

    if (this.opts.manageResolver ?? true) await this.startResolver(plan.dnsUpstreams);
  }

  private async upTunnel(t: PlanTunnel, killSwitch: boolean): Promise<void> {
    const lanPrefixes: string[] = [];
    for (const cmd of lanRoutesCommands(this.opts.lanIfaces)) lanPrefixes.push(...parseRoutePrefixes(await check(this.runner, cmd)));
    const routing = { table: this.table, fwmark: t.fwmark, ifname: t.ifname, allowedIps: t.peer.allowedIps, lanPrefixes, killSwitch };
    const alive = this.tunnel?.ifname === t.ifname && (await this.runner.run(linkShowCommand(t.ifname))).code === 0;
    if (!alive) {
      await this.removeLink();
      this.tunnel = { ifname: t.ifname, daemon: await this.createLink(t.ifname), wgKey: null, routingKey: null };
    }
    const state = this.tunnel!;
    // setconf replaces the peer and so drops its session: only when the tunnel itself changed.
    const wgKey = JSON.stringify(t);
    if (state.wgKey !== wgKey) {
      state.wgKey = null;
      await this.setconf(t);
      for (const cmd of linkConfigCommands(t)) await check(this.runner, cmd);
      state.wgKey = wgKey;
    }
    const routingKey = JSON.stringify(routing);
    if (state.routingKey !== routingKey) {
      state.routingKey = null;
      await this.runAll(routingTeardownCommands(this.table));
      for (const cmd of routingCommands(routing)) await check(this.runner, cmd);
      state.routingKey = routingKey;
    }
  }

  private async setconf(t: PlanTunnel): Promise<void> {
    const file = this.path(`wg-${t.ifname}.conf`);
    await writeFile(file, renderWgConf(t), { mode: 0o600 });
    try {
      await check(this.runner, setconfCommand(t.ifname, file));
    } finally {
      await rm(file, { force: true });
    }
  }

  /** A kernel WireGuard link if the kernel has it, else wireguard-go (returned, to be stopped later). */
  private async createLink(ifname: string): Promise<Daemon | null> {
    await this.runner.run(linkDelCommand(ifname)); // a leftover of a predecessor, if any
    if ((await this.runner.run(linkAddKernelCommand(ifname))).code === 0) return null;
    const daemon = this.runner.start({ argv: ["wireguard-go", "--foreground", ifname], env: WIREGUARD_GO_ENV });
    await writePidFile(this.path("wireguard-go.pid"), daemon.pid);
    let exited: string | null = null;
    void daemon.exited.then((how) => (exited = how));
    const deadline = Date.now() + (this.opts.linkTimeoutMs ?? 5000);
    // `wg show IF fwmark` answers once both the link and wireguard-go's control socket exist.
    while ((await this.runner.run({ argv: ["wg", "show", ifname, "fwmark"] })).code !== 0) {
      if (exited !== null) throw new Error(`wireguard-go ${ifname} exited (${exited})`);
      if (Date.now() > deadline) {
        daemon.kill("SIGKILL");
        throw new Error(`wireguard-go ${ifname}: interface not up after ${this.opts.linkTimeoutMs ?? 5000} ms`);
      }
      await sleep(20);
    }
    return daemon;
  }

  private async downTunnel(): Promise<void> {
    await this.runAll(routingTeardownCommands(this.table));
    await this.removeLink();
  }

  private async removeLink(): Promise<void> {
    const t = this.tunnel;
    if (!t) return;
    this.tunnel = null;
    if (t.daemon) await this.stopDaemon(t.daemon, "wireguard-go.pid");
    await this.runner.run(linkDelCommand(t.ifname));
  }

  private async startResolver(upstreams: string[]): Promise<void> {
    const conf = renderDnsmasqConf({
      lanIfaces: this.opts.lanIfaces,
      upstreams,
      pidFile: this.path("dnsmasq.pid"),
      resolvFile: this.opts.resolvFile ?? "/etc/resolv.conf",
    });
    if (this.resolver?.conf === conf) return;
    await this.stopResolver();
    const confFile = this.path("dnsmasq.conf");
    await writeFile(confFile, conf, { mode: 0o600 });
    const daemon = this.runner.start(dnsmasqCommand(confFile));
    // dnsmasq binds and checks its config at once; an early exit means it could not.
    const early = await Promise.race([daemon.exited, sleep(150).then(() => null)]);
    if (early !== null) throw new Error(`dnsmasq exited (${early})`);
    this.resolver = { daemon, conf };
  }

  private async stopResolver(): Promise<void> {
    const r = this.resolver;
    this.resolver = null;
    if (r) await this.stopDaemon(r.daemon, "dnsmasq.pid");
  }

  private async runAll(cmds: Command[]): Promise<void> {
    for (const cmd of cmds) await this.runner.run(cmd);
  }

  async stats(): Promise<TunnelStats | null> {
    return this.tunnel ? tunnelStats(this.runner, this.tunnel.ifname) : null;
  }

  probe(plan: Plan): Promise<ProbeResult> {
    return probeTunnel(this.runner, plan);
  }

  firewallIntact(): Promise<boolean> {
    return this.firewall.intact();
  }

  /** Stops wireguard-go and dnsmasq; the firewall stays as it is (fail closed while we are down). */
  async close(): Promise<void> {
    await this.stopResolver();
    const t = this.tunnel;
    if (t?.daemon) {
      this.tunnel = null;
      await this.stopDaemon(t.daemon, "wireguard-go.pid");
    }
  }

  /** SIGTERM, SIGKILL after 2 s; the PID file goes too so a later start never signals a reused PID. */
  private async stopDaemon(d: Daemon, pidFile: string): Promise<void> {
    d.kill("SIGTERM");
    const gone = await Promise.race([d.exited.then(() => true), sleep(2000).then(() => false)]);
    if (!gone) {
      d.kill("SIGKILL");
      await d.exited;
    }
    await rm(this.path(pidFile), { force: true });
  }
}
