// The OpenWrt adapter: the tunnel is a UCI `network` interface (proto wireguard) that netifd
// brings up and LuCI shows; dnsmasq is pointed at the tunnel through `dhcp`; the same
// nftables table as on Linux is loaded beside firewall4, saved for boot, and placed as an fw4
// include so `fw4 reload`/`restart` bring it back. Reloads go through ubus.
import { chmod, mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Plan } from "../../core/plan-types.ts";
import { renderNftRuleset } from "../../render/nft.ts";
import { applyUciPlan } from "../../render/uci-plan.ts";
import type { UciStore } from "../../uci/store.ts";
import type { Runner } from "../linux/exec.ts";
import { applyOrRestore } from "../apply-or-restore.ts";
import { NftTable } from "../linux/nft-table.ts";
import { probeTunnel, resolveHost, tunnelStats } from "../linux/tunnel-health.ts";
import type { NetworkFacts, Platform, ProbeResult, TunnelStats } from "../types.ts";
import { networkAction } from "./network-change.ts";
import { dumpInterfaces, type UbusCall } from "./ubus-port.ts";

export interface OpenWrtPlatformOptions {
  ubus: UbusCall;
  uci: UciStore;
  runner: Runner;
  /** Holds boot.nft (0600), read by /etc/init.d/enigm-vpn boot(). */
  dataDir: string;
  /** fw4 include carrying our table through every firewall reload. */
  fw4Include?: string;
  /** netifd interfaces on the LAN and uplink side. */
  lanNetworks?: string[];
  wanNetworks?: string[];
  leasesFile?: string;
}

export class OpenWrtPlatform implements Platform {
  readonly name = "openwrt";
  private readonly firewall: NftTable;
  private applied: Plan | null = null;

  constructor(private readonly opts: OpenWrtPlatformOptions) {
    this.firewall = new NftTable(opts.runner);
  }

  async facts(): Promise<NetworkFacts> {
    const ifaces = await dumpInterfaces(this.opts.ubus);
    const devices = (names: string[]) =>
      ifaces.filter((i) => names.includes(i.interface)).map((i) => i.l3_device ?? i.device).filter((d): d is string => typeof d === "string");
    return {
      lanIfaces: [...new Set(devices(this.opts.lanNetworks ?? ["lan"]))],
      wanIfaces: [...new Set(devices(this.opts.wanNetworks ?? ["wan", "wan6"]))],
      lanClients: await this.leases(),
    };
  }

  private async leases(): Promise<number> {
    try {
      return (await readFile(this.opts.leasesFile ?? "/tmp/dhcp.leases", "utf8")).split("\n").filter((l) => l.trim()).length;
    } catch {
      return 0;
    }
  }

  resolve(host: string): Promise<string[]> {
    return resolveHost(host);
  }

  async apply(plan: Plan): Promise<void> {
    await applyOrRestore(this.applied, plan, (p) => this.reconcile(p));
    this.applied = plan;
  }

  private async reconcile(plan: Plan): Promise<void> {
    // Firewall first: from here on the kernel enforces the plan whatever netifd does.
    const include = this.opts.fw4Include ?? "/usr/share/nftables.d/ruleset-post/90-enigm-vpn.nft";
    await mkdir(this.opts.dataDir, { recursive: true, mode: 0o700 });
    await mkdir(dirname(include), { recursive: true });
    await this.firewall.load(renderNftRuleset(plan), [join(this.opts.dataDir, "boot.nft"), include]);

    const before = await this.opts.uci.load("network").catch(() => null);
    const changed = await applyUciPlan(this.opts.uci, plan);
    if (changed.includes("network")) {
      // The tunnel's private key now lives in /etc/config/network: root only.
      if (plan.tunnel) await chmod(join(this.opts.uci.configDir, "network"), 0o600);
      const after = await this.opts.uci.load("network");
      const ifname = plan.tunnel?.ifname ?? this.applied?.tunnel?.ifname ?? plan.firewall.tunnelIface;
      const action = before ? networkAction(before, after, ifname) : "reload";
      if (action === "renew") await this.opts.ubus(`network.interface.${ifname}`, "renew");
      else if (action === "reload") await this.opts.ubus("network", "reload");
    }
    if (changed.includes("dhcp")) await this.opts.ubus("service", "event", { type: "config.change", data: { package: "dhcp" } });
  }

  async stats(): Promise<TunnelStats | null> {
    const t = this.applied?.tunnel;
    return t ? tunnelStats(this.opts.runner, t.ifname) : null;
  }

  probe(plan: Plan): Promise<ProbeResult> {
    return probeTunnel(this.opts.runner, plan);
  }

  firewallIntact(): Promise<boolean> {
    return this.firewall.intact();
  }

  /** netifd owns the tunnel and the firewall stays: nothing to stop. */
  async close(): Promise<void> {}
}
