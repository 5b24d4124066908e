// The network-namespace lab: a WAN (WireGuard server, web server, a public-looking resolver,
// all at documentation addresses), a router and two LAN clients behind a bridge. Nothing
// touches the host's own network: every address and route lives inside our namespaces.
// Names carry a per-run tag; destroy() kills every process by PID and deletes every namespace
// by name, and is safe to call after a half-built create().
//
//   c1 (192.168.50.10, 2001:db8:50::10) ─┐
//                                        br-lan ── router ── wan0 ════ up0 ── WAN
//   c2 (192.168.50.11, 2001:db8:50::11) ─┘  (198.51.100.2, 2001:db8:100::2)   (198.51.100.1, 2001:db8:100::1)
//
// WAN loopback: WireGuard endpoint 192.0.2.1:51820, web 203.0.113.80 / 2001:db8:80::80,
// public resolver 192.0.2.53 / 2001:db8:53::53; inside the tunnel 10.66.0.1 / fd66::1 (resolver too).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plan } from "../../src/core/plan-types.ts";
import { TUNNEL_FWMARK } from "../../src/core/plan.ts";
import { generateKeyPair } from "../../src/core/keys.ts";
import { type LinuxPlatformOptions, LinuxPlatform } from "../../src/platform/linux/index.ts";
import type { Reply, Request } from "./agent.ts";
import { must, run, runTag } from "./exec.ts";

export const ADDR = {
  endpoint: "192.0.2.1",
  endpointPort: 51820,
  web4: "203.0.113.80",
  web6: "2001:db8:80::80",
  publicDns4: "192.0.2.53",
  publicDns6: "2001:db8:53::53",
  tunnelServer4: "10.66.0.1",
  tunnelServer6: "fd66::1",
  tunnelClient4: "10.66.0.2",
  tunnelClient6: "fd66::2",
  router4: "192.168.50.1",
  c1v4: "192.168.50.10",
  c1v6: "2001:db8:50::10",
  c2v4: "192.168.50.11",
  c2v6: "2001:db8:50::11",
  lanPrefixes: ["192.168.50.0/24", "2001:db8:50::/64"],
} as const;

/** The name both resolvers know; each answers differently so a test can tell who answered. */
export const PROBE_NAME = "probe.lab.test";
export const TUNNEL_ANSWER = "203.0.113.66";
export const PUBLIC_ANSWER = "203.0.113.99";

const here = dirname(fileURLToPath(import.meta.url));
const WG_ENV = { ...process.env, WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: "1", LOG_LEVEL: "error" };

export class Agent {
  private next = 1;
  private pending = new Map<number, (r: Reply) => void>();
  constructor(private readonly child: ChildProcess) {
    let buf = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        const { id, reply } = JSON.parse(buf.slice(0, i)) as { id: number; reply: Reply };
        buf = buf.slice(i + 1);
        this.pending.get(id)?.(reply);
        this.pending.delete(id);
      }
    });
  }

  ready(): Promise<Reply> {
    return new Promise((resolve) => this.pending.set(0, resolve));
  }

  ask(req: Request): Promise<Reply> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin!.write(`${JSON.stringify({ id, req })}\n`);
    });
  }
}

export interface Capture {
  /** Stop tcpdump and classify what left the router on the uplink. */
  stop(): Promise<CaptureResult>;
}

export interface CaptureResult {
  lines: string[];
  /** WireGuard packets to the endpoint. */
  wireguard: number;
  /** Every other IP packet (router housekeeping like ND/RS/MLD excepted). */
  leaked: string[];
  /** Of those, packets from a LAN source address. */
  lanOriginated: string[];
  /** Packets to or from port 53. */
  dns: string[];
}

const HOUSEKEEPING = /ICMP6, (neighbor (solicitation|advertisement)|router solicitation|multicast listener)/;

export function classify(lines: string[]): CaptureResult {
  const ip = lines.filter((l) => / IP6? /.test(l));
  const fields = (l: string) => / IP6? (\S+) > (\S+?):/.exec(l);
  // tcpdump -n prints a.b.c.d.port and x:y::z.port
  const addrPort = (s: string) => {
    const parts = s.split(".");
    const v4 = /^\d+\.\d+\.\d+\.\d+/.test(s);
    if (v4) return { addr: parts.slice(0, 4).join("."), port: parts[4] ?? "" };
    return parts.length === 2 ? { addr: parts[0]!, port: parts[1]! } : { addr: s, port: "" };
  };
  const isWg = (l: string) => {
    const f = fields(l);
    if (!f) return false;
    const dst = addrPort(f[2]!);
    return dst.addr === ADDR.endpoint && dst.port === String(ADDR.endpointPort) && l.includes("UDP");
  };
  const lanSource = (l: string) => {
    const src = fields(l)?.[1] ?? "";
    return src.startsWith("192.168.50.") || src.startsWith("2001:db8:50:");
  };
  const leaked = ip.filter((l) => !isWg(l) && !HOUSEKEEPING.test(l));
  return {
    lines,
    wireguard: ip.filter(isWg).length,
    leaked,
    lanOriginated: leaked.filter(lanSource),
    dns: ip.filter((l) => {
      const f = fields(l);
      return !!f && (addrPort(f[1]!).port === "53" || addrPort(f[2]!).port === "53" || addrPort(f[2]!).port === "domain");
    }),
  };
}

export class Lab {
  readonly tag = runTag();
  readonly ns = { wan: `evw-${this.tag}`, router: `evr-${this.tag}`, c1: `evc1-${this.tag}`, c2: `evc2-${this.tag}` };
  /** WireGuard interface names are global (the UAPI socket directory is shared by all namespaces). */
  readonly routerTunnel = `evc${this.tag}`;
  readonly serverTunnel = `evs${this.tag}`;
  readonly client = generateKeyPair();
  readonly server = generateKeyPair();
  readonly lanIface = "br-lan";
  readonly wanIface = "wan0";
  dir = "";
  private procs: ChildProcess[] = [];
  private groups: number[] = [];
  private wgServer: ChildProcess | null = null;
  private agents = new Map<string, Agent>();
  private platforms: LinuxPlatform[] = [];

  static async create(): Promise<Lab> {
    const lab = new Lab();
    try {
      await lab.build();
    } catch (err) {
      await lab.destroy();
      throw err;
    }
    return lab;
  }

  private exec(ns: string, ...argv: string[]): Promise<string> {
    return must(["ip", "netns", "exec", ns, ...argv]);
  }

  private async build(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), `enigm-lab-${this.tag}-`));
    const { wan, router, c1, c2 } = this.ns;
    for (const ns of Object.values(this.ns)) {
      await must(["ip", "netns", "add", ns]);
      await this.exec(ns, "ip", "link", "set", "lo", "up");
      // No duplicate address detection: addresses (link-local ones too) are usable at once.
      await this.exec(ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
    }
    // Uplink.
    await must(["ip", "link", "add", "wan0", "netns", router, "type", "veth", "peer", "name", "up0", "netns", wan]);
    await this.exec(router, "ip", "address", "add", "198.51.100.2/24", "dev", "wan0");
    await this.exec(router, "ip", "address", "add", "2001:db8:100::2/64", "dev", "wan0", "nodad");
    await this.exec(router, "ip", "link", "set", "wan0", "up");
    await this.exec(router, "ip", "route", "add", "default", "via", "198.51.100.1");
    await this.exec(router, "ip", "-6", "route", "add", "default", "via", "2001:db8:100::1");
    await this.exec(wan, "ip", "address", "add", "198.51.100.1/24", "dev", "up0");
    await this.exec(wan, "ip", "address", "add", "2001:db8:100::1/64", "dev", "up0", "nodad");
    await this.exec(wan, "ip", "link", "set", "up0", "up");
    for (const a of [`${ADDR.endpoint}/32`, `${ADDR.web4}/32`, `${ADDR.publicDns4}/32`]) await this.exec(wan, "ip", "address", "add", a, "dev", "lo");
    for (const a of [`${ADDR.web6}/128`, `${ADDR.publicDns6}/128`]) await this.exec(wan, "ip", "address", "add", a, "dev", "lo", "nodad");
    // The WAN routes the LAN prefixes back to the router, so a leak would get answers (no NAT hides it).
    await this.exec(wan, "ip", "route", "add", ADDR.lanPrefixes[0], "via", "198.51.100.2");
    await this.exec(wan, "ip", "-6", "route", "add", ADDR.lanPrefixes[1], "via", "2001:db8:100::2");
    // LAN: a bridge on the router, one veth port per client.
    await this.exec(router, "ip", "link", "add", "br-lan", "type", "bridge", "mcast_snooping", "0");
    await this.exec(router, "ip", "address", "add", `${ADDR.router4}/24`, "dev", "br-lan");
    await this.exec(router, "ip", "address", "add", "2001:db8:50::1/64", "dev", "br-lan", "nodad");
    await this.exec(router, "ip", "link", "set", "br-lan", "up");
    for (const [client, v4, v6, port] of [
      [c1, ADDR.c1v4, ADDR.c1v6, "lan1"],
      [c2, ADDR.c2v4, ADDR.c2v6, "lan2"],
    ] as const) {
      await must(["ip", "link", "add", port, "netns", router, "type", "veth", "peer", "name", "eth0", "netns", client]);
      await this.exec(router, "ip", "link", "set", port, "master", "br-lan", "up");
      await this.exec(client, "ip", "address", "add", `${v4}/24`, "dev", "eth0");
      await this.exec(client, "ip", "address", "add", `${v6}/64`, "dev", "eth0", "nodad");
      await this.exec(client, "ip", "link", "set", "eth0", "up");
      await this.exec(client, "ip", "route", "add", "default", "via", ADDR.router4);
      await this.exec(client, "ip", "-6", "route", "add", "default", "via", "2001:db8:50::1");
    }
    for (const ns of [router, wan]) {
      await this.exec(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
    }
    // WAN services: web server on every WAN address, the public resolver, then the WireGuard server.
    const web = await (await this.agent(wan)).ask({ op: "serve", hosts: [ADDR.web4, ADDR.web6], port: 80 });
    if (!web.ok) throw new Error(`web server: ${web.error}`);
    await this.startDnsmasq(wan, "public", [ADDR.publicDns4, ADDR.publicDns6], PUBLIC_ANSWER);
    await this.startWgServer();
    await this.startDnsmasq(wan, "tunnel", [ADDR.tunnelServer4, ADDR.tunnelServer6], TUNNEL_ANSWER);
  }

  /** A process inside a namespace, killed by destroy(); `group` gives it its own process group (kill(-pid) takes its children too). */
  spawn(ns: string, argv: string[], opts: { env?: NodeJS.ProcessEnv; group?: boolean } = {}): ChildProcess {
    const child = spawn("ip", ["netns", "exec", ns, ...argv], { stdio: ["pipe", "pipe", "pipe"], env: opts.env ?? process.env, detached: opts.group ?? false });
    child.stderr!.resume();
    this.procs.push(child);
    if (opts.group && child.pid !== undefined) this.groups.push(child.pid);
    return child;
  }

  private async startDnsmasq(ns: string, name: string, listen: string[], answer: string): Promise<void> {
    const conf = join(this.dir, `dnsmasq-${name}.conf`);
    await writeFile(conf, [...listen.map((a) => `listen-address=${a}`), "bind-dynamic", "no-resolv", "no-hosts", `address=/${PROBE_NAME}/${answer}`, "address=/lab.test/" + ADDR.web4, "pid-file=", ""].join("\n"));
    const child = this.spawn(ns, ["dnsmasq", "--keep-in-foreground", `--conf-file=${conf}`]);
    child.stdout!.resume();
  }

  /** A (re)started WireGuard server in the WAN namespace, peered with the router. */
  async startWgServer(): Promise<void> {
    const { wan } = this.ns;
    const child = this.spawn(wan, ["wireguard-go", "--foreground", this.serverTunnel], { env: WG_ENV });
    child.stdout!.resume();
    this.wgServer = child;
    for (let i = 0; (await run(["ip", "netns", "exec", wan, "wg", "show", this.serverTunnel, "fwmark"])).code !== 0; i++) {
      if (i > 250) throw new Error("WireGuard server did not come up");
      await new Promise((r) => setTimeout(r, 20));
    }
    const conf = ["[Interface]", `PrivateKey = ${this.server.privateKey}`, `ListenPort = ${ADDR.endpointPort}`, "", "[Peer]", `PublicKey = ${this.client.publicKey}`, `AllowedIPs = ${ADDR.tunnelClient4}/32, ${ADDR.tunnelClient6}/128`, ""].join("\n");
    const file = join(this.dir, "server.conf");
    await writeFile(file, conf, { mode: 0o600 });
    await must(["ip", "netns", "exec", wan, "wg", "setconf", this.serverTunnel, file]);
    await this.exec(wan, "ip", "address", "add", `${ADDR.tunnelServer4}/24`, "dev", this.serverTunnel);
    await this.exec(wan, "ip", "address", "add", `${ADDR.tunnelServer6}/64`, "dev", this.serverTunnel, "nodad");
    await this.exec(wan, "ip", "link", "set", this.serverTunnel, "up");
  }

  /** Kill the WireGuard server outright (SIGKILL): the tunnel is dead, the router is not told. */
  async killWgServer(): Promise<void> {
    const child = this.wgServer;
    if (!child) return;
    this.wgServer = null;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await gone;
    await rm(`/var/run/wireguard/${this.serverTunnel}.sock`, { force: true });
  }

  /** A persistent helper process inside a namespace (one per namespace). */
  async agent(ns: string): Promise<Agent> {
    const existing = this.agents.get(ns);
    if (existing) return existing;
    const child = this.spawn(ns, [process.execPath, "--import", "tsx", join(here, "agent.ts")]);
    const agent = new Agent(child);
    const ready = await Promise.race([agent.ready(), new Promise<Reply>((r) => setTimeout(() => r({ ok: false, error: "agent did not start" }), 10_000))]);
    if (!ready.ok) throw new Error(ready.error);
    this.agents.set(ns, agent);
    return agent;
  }

  /** The Linux platform running its commands in the router namespace. */
  platform(opts: Partial<LinuxPlatformOptions> = {}): LinuxPlatform {
    const p = new LinuxPlatform({ dataDir: join(this.dir, "router"), lanIfaces: [this.lanIface], wanIfaces: [this.wanIface], netns: this.ns.router, ...opts });
    this.platforms.push(p);
    return p;
  }

  /** The plan buildPlan would make for this lab's server. */
  plan(o: { tunnel?: boolean; killSwitch?: boolean; ipv6?: "tunnel" | "block"; dnsProtection?: boolean } = {}): Plan {
    const on = o.tunnel ?? true;
    const dnsProtection = o.dnsProtection ?? on;
    const tunnel = on
      ? {
          ifname: this.routerTunnel,
          privateKey: this.client.privateKey,
          addresses: [`${ADDR.tunnelClient4}/32`, `${ADDR.tunnelClient6}/128`],
          dns: [ADDR.tunnelServer4],
          mtu: 1420,
          fwmark: TUNNEL_FWMARK,
          peer: {
            name: "lab",
            publicKey: this.server.publicKey,
            endpointHost: ADDR.endpoint,
            endpointPort: ADDR.endpointPort,
            endpointAddrs: [ADDR.endpoint],
            allowedIps: ["0.0.0.0/0", "::/0"],
            keepalive: 25,
          },
        }
      : null;
    return {
      tunnel,
      firewall: {
        killSwitch: o.killSwitch ?? false,
        dnsProtection,
        ipv6: o.ipv6 ?? "tunnel",
        lanIfaces: [this.lanIface],
        wanIfaces: [this.wanIface],
        tunnelIface: this.routerTunnel,
        endpoints: on ? [{ addr: ADDR.endpoint, port: ADDR.endpointPort }] : [],
        allowRouterDns: false,
      },
      dnsUpstreams: tunnel && dnsProtection ? tunnel.dns : [],
    };
  }

  /** The router's side as a wg-quick file, what a user would import. */
  clientConf(): string {
    return [
      "[Interface]",
      `PrivateKey = ${this.client.privateKey}`,
      `Address = ${ADDR.tunnelClient4}/32, ${ADDR.tunnelClient6}/128`,
      `DNS = ${ADDR.tunnelServer4}`,
      "",
      "[Peer]",
      `PublicKey = ${this.server.publicKey}`,
      "AllowedIPs = 0.0.0.0/0, ::/0",
      `Endpoint = ${ADDR.endpoint}:${ADDR.endpointPort}`,
      "PersistentKeepalive = 25",
      "",
    ].join("\n");
  }

  /** tcpdump on the router's uplink, outgoing direction only; resolves once it is listening. */
  async capture(): Promise<Capture> {
    const child = this.spawn(this.ns.router, ["tcpdump", "-i", this.wanIface, "-Q", "out", "-n", "-l", "-U", "-tt"]);
    const lines: string[] = [];
    let buf = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      const parts = buf.split("\n");
      buf = parts.pop()!;
      lines.push(...parts);
    });
    await new Promise<void>((resolve, reject) => {
      let err = "";
      child.stderr!.setEncoding("utf8").on("data", (d: string) => {
        err += d;
        if (err.includes("listening on")) resolve();
      });
      child.once("exit", () => reject(new Error(`tcpdump exited: ${err}`)));
    });
    return {
      stop: async () => {
        // Let in-flight packets reach the capture before stopping it.
        await new Promise((r) => setTimeout(r, 200));
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGINT");
        await gone;
        if (buf) lines.push(buf);
        return classify(lines);
      },
    };
  }

  async destroy(): Promise<void> {
    for (const p of this.platforms) await p.close().catch(() => {});
    for (const child of this.procs) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        await Promise.race([gone, new Promise((r) => setTimeout(r, 2000))]);
      }
    }
    // Process groups we made (the daemon) may have children left: wireguard-go, dnsmasq.
    for (const pgid of this.groups) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {}
    }
    await sweep(this.leftovers());
  }

  /** What sweep() needs to remove this lab even from another process (`npm run lab -- --down`). */
  leftovers(): Leftovers {
    return { namespaces: Object.values(this.ns), tunnels: [this.routerTunnel, this.serverTunnel], dir: this.dir };
  }
}

export interface Leftovers {
  namespaces: string[];
  tunnels: string[];
  dir: string;
}

/** Kill whatever still runs inside the namespaces, delete them, and remove sockets and files. */
export async function sweep(l: Leftovers): Promise<void> {
  for (const ns of l.namespaces) {
    const pids = await run(["ip", "netns", "pids", ns]);
    for (const pid of pids.stdout.split("\n").filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {}
    }
    await run(["ip", "netns", "del", ns]);
  }
  for (const ifname of l.tunnels) await rm(`/var/run/wireguard/${ifname}.sock`, { force: true });
  if (l.dir) await rm(l.dir, { recursive: true, force: true });
}
