// The one port to the operating system. Adapters: sim/ (in memory), linux/ (ip, wg, nft,
// dnsmasq), openwrt/ (ubus, UCI, netifd, fw4). The service layer only ever talks to this.
import type { Plan } from "../core/plan-types.ts";

export interface TunnelStats {
  /** Unix ms of the latest handshake, or null if none yet. */
  lastHandshakeMs: number | null;
  rxBytes: number;
  txBytes: number;
  /** The endpoint WireGuard is currently talking to, "addr:port". */
  endpoint: string | null;
}

export interface ProbeResult {
  ok: boolean;
  /** Exit address as seen through the tunnel, when the probe can tell. */
  exitAddress?: string;
  detail?: string;
}

export interface NetworkFacts {
  lanIfaces: string[];
  wanIfaces: string[];
  /** Devices currently seen on the LAN (DHCP leases / neighbours). */
  lanClients: number;
}

export interface Platform {
  readonly name: string;
  /** What the adapter knows of the router's interfaces. */
  facts(): Promise<NetworkFacts>;
  /** Resolve an endpoint host name to addresses (numeric hosts come back unchanged). */
  resolve(host: string): Promise<string[]>;
  /**
   * Make the system match the plan: firewall first (one atomic transaction), then tunnel,
   * routes and resolver. On failure, restore what was there before and throw.
   */
  apply(plan: Plan): Promise<void>;
  /** Handshake and counters of the tunnel, or null when no tunnel exists. */
  stats(): Promise<TunnelStats | null>;
  /** An in-tunnel check (e.g. DNS query to the tunnel's resolver through the tunnel). */
  probe(plan: Plan): Promise<ProbeResult>;
  /** Is our firewall table present as last applied? (false after e.g. `fw4 flush`). */
  firewallIntact(): Promise<boolean>;
  close(): Promise<void>;
}
