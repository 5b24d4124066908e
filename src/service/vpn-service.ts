// The application: every change a caller can make, checked against the policy and the
// schemas, saved, then handed to the reconciler. Operations in src/api call only this.
import { type Config, type Policy, type Settings, validateConfig } from "../core/config.ts";
import { ApiError, quote } from "../core/errors.ts";
import { exportWgQuick, importWgQuick } from "../core/import.ts";
import { generateKeyPair, publicKeyOf } from "../core/keys.ts";
import { hashPassword, PASSWORD_MIN, verifyPassword } from "../core/password.ts";
import { effective, type Permission, permissionForPolicyChange, REASONS } from "../core/policy.ts";
import { formatEndpoint } from "../core/net.ts";
import type { VpnState } from "../core/state.ts";
import { formatWgQuick, parseWgQuick } from "../core/wgconf.ts";
import type { ConfigRepository } from "./config-file.ts";
import type { Reconciler } from "./reconciler.ts";

export interface Status {
  state: VpnState;
  reason: string;
  since: number;
  enabled: boolean;
  policy: Policy;
  effective: ReturnType<typeof effective>;
  settings: Settings;
  server: { name: string; endpoint: string; index: number } | null;
  lastHandshakeMs: number | null;
  rxBytes: number;
  txBytes: number;
  exitAddress: string | null;
  lanClients: number;
  applyError: string | null;
  publicKey: string | null;
  servers: number;
  /** A change applied with automatic rollback, waiting to be confirmed. */
  pendingApply: { expiresAt: number } | null;
  /** The router's clock when this was made: ages and countdowns are computed against it. */
  now: number;
}

export interface ServerView {
  name: string;
  endpoint: string;
  publicKey: string;
  hasPresharedKey: boolean;
  allowedIps: string[];
  keepalive: number | null;
  active: boolean;
}

export interface VpnServiceOptions {
  /** How long a guarded change waits for confirmation before it is rolled back. */
  rollbackMs?: number;
  now?: () => number;
}

export class VpnService {
  private config!: Config;
  private pending: { previous: Config; expiresAt: number; timer: NodeJS.Timeout } | null = null;
  private readonly rollbackMs: number;
  private readonly now: () => number;

  constructor(
    private readonly repo: ConfigRepository,
    readonly reconciler: Reconciler,
    opts: VpnServiceOptions = {},
  ) {
    this.rollbackMs = opts.rollbackMs ?? 90_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Runs a change that could cut the caller off (routes, kill switch, DNS) like LuCI's apply:
   * it takes effect now and is reverted after the rollback time unless confirmApply() comes
   * first. One pending change at a time.
   */
  async guarded<T>(change: () => Promise<T>): Promise<T> {
    if (this.pending) throw new ApiError("conflict", "another change is waiting for confirmation; keep or revert it first");
    const previous = this.config;
    const result = await change();
    if (this.config !== previous) {
      const timer = setTimeout(() => void this.rollbackApply().catch(() => {}), this.rollbackMs);
      timer.unref();
      this.pending = { previous, expiresAt: this.now() + this.rollbackMs, timer };
    }
    return result;
  }

  confirmApply(): { pendingApply: null } {
    if (!this.pending) throw new ApiError("not_found", "no change is waiting for confirmation");
    clearTimeout(this.pending.timer);
    this.pending = null;
    return { pendingApply: null };
  }

  async rollbackApply(): Promise<{ pendingApply: null }> {
    const pending = this.pending;
    if (!pending) throw new ApiError("not_found", "no change is waiting for confirmation");
    clearTimeout(pending.timer);
    this.pending = null;
    await this.commit(pending.previous);
    return { pendingApply: null };
  }

  /** Reads the config and applies it; also what SIGHUP and `reload` do after an outside edit. */
  async start(): Promise<void> {
    this.config = await this.repo.load();
    await this.reconciler.update(this.config);
  }

  /** Save first, then apply: a crash in between leaves a config the next start applies. */
  private async commit(next: Config, opts: { serverIndex?: number } = {}): Promise<void> {
    const checked = validateConfig(next);
    await this.repo.save(checked);
    this.config = checked;
    await this.reconciler.update(checked, opts);
  }

  status(): Status {
    const h = this.reconciler.health();
    const c = this.config;
    const peer = h.plan?.tunnel?.peer;
    return {
      state: h.machine.state,
      reason: h.machine.reason,
      since: h.machine.since,
      enabled: c.settings.enabled,
      policy: c.policy,
      effective: effective(c.policy, c.settings),
      settings: c.settings,
      server: peer ? { name: peer.name, endpoint: formatEndpoint(peer.endpointHost, peer.endpointPort), index: h.serverIndex } : null,
      lastHandshakeMs: h.stats?.lastHandshakeMs ?? null,
      rxBytes: h.stats?.rxBytes ?? 0,
      txBytes: h.stats?.txBytes ?? 0,
      exitAddress: h.probe?.ok ? (h.probe.exitAddress ?? null) : null,
      lanClients: h.lanClients,
      applyError: h.applyError,
      publicKey: this.publicKey(),
      servers: c.servers.length,
      pendingApply: this.pending ? { expiresAt: this.pending.expiresAt } : null,
      now: this.now(),
    };
  }

  async enable(): Promise<Status> {
    const eff = effective(this.config.policy, this.config.settings);
    if (!eff.canEnable) throw new ApiError("policy_refused", eff.reason);
    await this.commit({ ...this.config, settings: { ...this.config.settings, enabled: true } });
    return this.status();
  }

  async disable(): Promise<Status> {
    const eff = effective(this.config.policy, this.config.settings);
    if (!eff.canDisable) throw new ApiError("policy_refused", eff.reason);
    await this.commit({ ...this.config, settings: { ...this.config.settings, enabled: false } });
    return this.status();
  }

  getSettings(): Settings & { locked: string[]; reason: string } {
    const eff = effective(this.config.policy, this.config.settings);
    return { ...this.config.settings, locked: eff.canChangeKillSwitch ? [] : ["killSwitch"], reason: eff.reason };
  }

  async setSettings(patch: Partial<Settings>): Promise<Settings> {
    const eff = effective(this.config.policy, this.config.settings);
    if (patch.killSwitch !== undefined && patch.killSwitch !== eff.killSwitch && !eff.canChangeKillSwitch) {
      throw new ApiError("policy_refused", `killSwitch: ${eff.reason}`, "killSwitch");
    }
    if (patch.enabled === true && !eff.canEnable) throw new ApiError("policy_refused", eff.reason, "enabled");
    if (patch.enabled === false && !eff.canDisable) throw new ApiError("policy_refused", eff.reason, "enabled");
    await this.commit({ ...this.config, settings: { ...this.config.settings, ...patch } });
    return this.config.settings;
  }

  getPolicy(): Policy & { reason: string } {
    return { ...this.config.policy, reason: effective(this.config.policy, this.config.settings).reason };
  }

  async setPolicy(next: Partial<Policy>, caller: Permission): Promise<Policy> {
    const policy = { ...this.config.policy, ...next };
    const needed = permissionForPolicyChange(this.config.policy, policy);
    if (needed === "admin" && caller !== "admin") throw new ApiError("forbidden", REASONS.locked);
    await this.commit({ ...this.config, policy });
    return this.config.policy;
  }

  async importConfig(input: { text: string; name?: string; replace?: boolean }): Promise<{ added: string[]; warnings: string[] }> {
    const result = importWgQuick(this.config, parseWgQuick(input.text), input);
    await this.commit(result.config);
    return { added: result.added, warnings: result.warnings };
  }

  exportConfig(): { text: string } {
    return { text: formatWgQuick(exportWgQuick(this.config), { secrets: false }) };
  }

  listServers(): ServerView[] {
    const active = this.reconciler.health().plan?.tunnel?.peer.name;
    return this.config.servers.map((s) => ({
      name: s.name,
      endpoint: formatEndpoint(s.endpointHost, s.endpointPort),
      publicKey: s.publicKey,
      hasPresharedKey: s.presharedKey !== null,
      allowedIps: s.allowedIps,
      keepalive: s.keepalive,
      active: s.name === active,
    }));
  }

  private serverIndex(name: string, field = "name"): number {
    const i = this.config.servers.findIndex((s) => s.name === name);
    if (i < 0) throw new ApiError("not_found", `${field}: no server named ${quote(name)}`, field);
    return i;
  }

  async removeServer(name: string): Promise<ServerView[]> {
    const i = this.serverIndex(name);
    await this.commit({ ...this.config, servers: this.config.servers.filter((_, j) => j !== i) });
    return this.listServers();
  }

  async moveServer(name: string, to: number): Promise<ServerView[]> {
    const i = this.serverIndex(name);
    if (to >= this.config.servers.length) throw new ApiError("invalid_input", `position: must be below ${this.config.servers.length}, got ${to}`, "position");
    const servers = [...this.config.servers];
    const [moved] = servers.splice(i, 1);
    servers.splice(to, 0, moved!);
    await this.commit({ ...this.config, servers });
    return this.listServers();
  }

  async renameServer(name: string, newName: string): Promise<ServerView[]> {
    const i = this.serverIndex(name);
    const servers = this.config.servers.map((s, j) => (j === i ? { ...s, name: newName } : s));
    const active = this.reconciler.health().serverIndex;
    await this.commit({ ...this.config, servers }, { serverIndex: active });
    return this.listServers();
  }

  /** Makes a new key pair on the router; only the public key ever leaves it. */
  async generateKeys(): Promise<{ publicKey: string }> {
    const pair = generateKeyPair();
    await this.commit({ ...this.config, tunnel: { ...this.config.tunnel, privateKey: pair.privateKey } });
    return { publicKey: pair.publicKey };
  }

  private derivedKey: { privateKey: string; publicKey: string } | null = null;

  /** The tunnel's public key, derived once per private key (status is asked for often). */
  private publicKey(): string | null {
    const privateKey = this.config.tunnel.privateKey;
    if (!privateKey) return null;
    if (this.derivedKey?.privateKey !== privateKey) this.derivedKey = { privateKey, publicKey: publicKeyOf(privateKey) };
    return this.derivedKey.publicKey;
  }

  hasPassword(): boolean {
    return this.config.web.passwordHash !== null;
  }

  checkPassword(password: string): boolean {
    return this.config.web.passwordHash !== null && verifyPassword(password, this.config.web.passwordHash);
  }

  async setPassword(password: string): Promise<void> {
    if (password.length < PASSWORD_MIN) throw new ApiError("invalid_input", `password: must be at least ${PASSWORD_MIN} characters`, "password");
    await this.commit({ ...this.config, web: { passwordHash: hashPassword(password) } });
  }
}
