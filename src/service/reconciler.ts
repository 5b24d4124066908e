// Makes the system match the config: builds the plan, applies it through the platform, then
// watches handshake and probe, moves the state machine, fails over between servers and
// repairs a firewall table someone removed. Emits "state" whenever the state changes.
import { EventEmitter } from "node:events";
import type { Config } from "../core/config.ts";
import { buildPlan, type Plan } from "../core/plan.ts";
import { effective } from "../core/policy.ts";
import { initialMachine, type Machine, step } from "../core/state.ts";
import type { Platform, ProbeResult, TunnelStats } from "../platform/types.ts";
import type { Logger } from "./log.ts";

export interface ReconcilerOptions {
  tunnelIfname: string;
  now?: () => number;
  /** Move to the next server after this long without a handshake. */
  failoverAfterMs?: number;
  /** Re-run the in-tunnel probe this often while the handshake is fresh. */
  probeEveryMs?: number;
  log: Logger;
}

export interface Health {
  machine: Machine;
  plan: Plan | null;
  stats: TunnelStats | null;
  probe: ProbeResult | null;
  applyError: string | null;
  serverIndex: number;
  lanClients: number;
}

export class Reconciler extends EventEmitter<{ state: [Machine]; applied: [Plan] }> {
  private machine: Machine;
  private plan: Plan | null = null;
  private applyError: string | null = null;
  private stats: TunnelStats | null = null;
  private probe: ProbeResult | null = null;
  private probedAt = 0;
  private serverIndex = 0;
  private lanClients = 0;
  private config: Config | null = null;
  private busy: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(
    private readonly platform: Platform,
    private readonly opts: ReconcilerOptions,
  ) {
    super();
    this.now = opts.now ?? Date.now;
    this.machine = initialMachine(this.now());
  }

  health(): Health {
    return { machine: this.machine, plan: this.plan, stats: this.stats, probe: this.probe, applyError: this.applyError, serverIndex: this.serverIndex, lanClients: this.lanClients };
  }

  /** Apply a new config; calls are serialised so two changes never interleave. */
  update(config: Config, opts: { serverIndex?: number } = {}): Promise<void> {
    return this.serial(async () => {
      const firstServerChanged = this.config?.servers[0]?.name !== config.servers[0]?.name;
      this.config = config;
      if (opts.serverIndex !== undefined) this.serverIndex = opts.serverIndex;
      else if (firstServerChanged) this.serverIndex = 0;
      await this.applyPlan();
      await this.observe();
    });
  }

  /** One health round: counters, probe, state, failover, firewall repair. */
  tick(): Promise<void> {
    return this.serial(async () => {
      if (!this.config) return;
      if (this.plan && !(await this.platform.firewallIntact())) {
        this.opts.log.warn("firewall table missing or changed; re-applying");
        await this.applyPlan();
      }
      await this.observe();
      const m = this.machine;
      const stuck = (m.state === "blocked" || m.state === "unprotected") && m.attemptSince !== null;
      if (stuck && this.config.servers.length > 1 && this.now() - m.attemptSince! >= (this.opts.failoverAfterMs ?? 30_000)) {
        this.serverIndex = (this.serverIndex + 1) % this.config.servers.length;
        this.opts.log.info(`no handshake; failing over to server ${this.config.servers[this.serverIndex]!.name}`);
        this.machine = { ...this.machine, attemptSince: this.now() };
        await this.applyPlan();
        await this.observe();
      }
    });
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.busy.then(fn);
    this.busy = run.catch(() => {});
    return run;
  }

  private async applyPlan(): Promise<void> {
    const config = this.config!;
    const eff = effective(config.policy, config.settings);
    const facts = await this.platform.facts();
    this.lanClients = facts.lanClients;
    const server = config.servers[this.serverIndex % Math.max(1, config.servers.length)];
    let endpointAddrs: string[] = [];
    try {
      if (eff.wanted && server) endpointAddrs = await this.platform.resolve(server.endpointHost);
    } catch (err) {
      this.opts.log.warn(`cannot resolve ${server?.endpointHost}: ${(err as Error).message}`);
    }
    const plan = buildPlan(config, eff, this.serverIndex, { ...facts, tunnelIfname: this.opts.tunnelIfname, endpointAddrs });
    try {
      await this.platform.apply(plan);
      const tunnelChanged = JSON.stringify(plan.tunnel) !== JSON.stringify(this.plan?.tunnel ?? null);
      this.plan = plan;
      this.applyError = plan.tunnel && endpointAddrs.length === 0 ? `cannot resolve ${plan.tunnel.peer.endpointHost}` : null;
      if (tunnelChanged) {
        this.probe = null;
        this.probedAt = 0;
        this.machine = { ...this.machine, attemptSince: null };
      }
      this.emit("applied", plan);
    } catch (err) {
      this.applyError = (err as Error).message;
      this.opts.log.error(`apply failed: ${this.applyError}`);
    }
  }

  private async observe(): Promise<void> {
    const config = this.config!;
    const eff = effective(config.policy, config.settings);
    this.stats = this.plan?.tunnel ? await this.platform.stats() : null;
    const now = this.now();
    const handshake = this.stats?.lastHandshakeMs ?? null;
    if (this.plan?.tunnel && handshake !== null && now - this.probedAt >= (this.opts.probeEveryMs ?? 30_000)) {
      this.probe = await this.platform.probe(this.plan);
      this.probedAt = now;
    }
    if (!this.plan?.tunnel) this.probe = null;
    const prev = this.machine;
    this.machine = step(
      prev,
      {
        policy: config.policy.mode,
        wanted: eff.wanted,
        killSwitch: eff.killSwitch,
        server: this.plan?.tunnel?.peer.name ?? (eff.wanted && config.servers.length ? (config.servers[this.serverIndex]?.name ?? null) : null),
        applyError: this.applyError ?? (eff.wanted && config.servers.length && !this.plan?.tunnel ? "the tunnel has no private key or address; import a configuration" : null),
        lastHandshakeMs: handshake,
        probeOk: this.probe ? this.probe.ok : null,
      },
      now,
    );
    if (prev.state !== this.machine.state || prev.reason !== this.machine.reason) {
      this.opts.log.info(`state ${this.machine.state}: ${this.machine.reason}`);
      this.emit("state", this.machine);
    }
  }
}
