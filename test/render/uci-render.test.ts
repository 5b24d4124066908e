import { chmod, cp, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeOursFromDhcp, renderDhcp } from "../../src/render/uci-dhcp.ts";
import { removeOursFromNetwork, renderNetwork, tunnelRoutes } from "../../src/render/uci-network.ts";
import { applyUciPlan } from "../../src/render/uci-plan.ts";
import { UciError } from "../../src/uci/errors.ts";
import { parseUci } from "../../src/uci/parse.ts";
import { serializeUci } from "../../src/uci/serialize.ts";
import { UciStore } from "../../src/uci/store.ts";
import { samplePlan } from "./plan-fixture.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const fixture = (name: string): Promise<string> => readFile(join(FIXTURES, name), "utf8");

const noTunnel = { ...samplePlan(), tunnel: null, dnsUpstreams: [] };

describe("network", () => {
  it("renders the golden network config", async () => {
    const out = renderNetwork(parseUci(await fixture("network"), "network"), samplePlan());
    expect(serializeUci(out)).toBe(await fixture("network.golden"));
  });

  it("removing leaves the original bytes", async () => {
    const original = await fixture("network");
    const rendered = serializeUci(renderNetwork(parseUci(original, "network"), samplePlan()));
    expect(serializeUci(removeOursFromNetwork(parseUci(rendered, "network")))).toBe(original);
    expect(serializeUci(renderNetwork(parseUci(rendered, "network"), noTunnel))).toBe(original);
  });

  it("is idempotent", async () => {
    const once = renderNetwork(parseUci(await fixture("network"), "network"), samplePlan());
    expect(serializeUci(renderNetwork(once, samplePlan()))).toBe(serializeUci(once));
  });

  it("splits default routes and keeps IPv6 routes out when IPv6 is blocked", () => {
    expect(tunnelRoutes(["0.0.0.0/0", "::/0"], true).map((r) => r.target)).toEqual(["0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1"]);
    expect(tunnelRoutes(["0.0.0.0/0", "::/0"], false).map((r) => r.target)).toEqual(["0.0.0.0/1", "128.0.0.0/1"]);
    expect(tunnelRoutes(["10.0.0.0/8"], false)).toEqual([{ family: 4, target: "10.0.0.0/8" }]);
    const out = renderNetwork({ name: "network", sections: [] }, samplePlan({ ipv6: "block" }));
    expect(out.sections.map((s) => s.type)).toEqual(["interface", "wireguard_enigm_vpn", "route", "route"]);
  });

  it("refuses an ifname netifd would not give our interface", () => {
    const plan = samplePlan();
    if (plan.tunnel) plan.tunnel.ifname = "wg0";
    expect(() => renderNetwork({ name: "network", sections: [] }, plan)).toThrow(UciError);
    expect(() => renderNetwork({ name: "network", sections: [] }, plan)).toThrow(/tunnel ifname "wg0"/);
  });

  it("keeps hostile values inside their option", () => {
    const plan = samplePlan();
    if (plan.tunnel) plan.tunnel.peer.name = "x'\n\tlist allowed_ips '0.0.0.0/0'\nconfig interface 'lan'\n\toption proto 'none";
    const text = serializeUci(renderNetwork(parseUci("", "network"), plan));
    const back = parseUci(text, "network");
    expect(back.sections.map((s) => s.name)).toEqual(["enigm_vpn", "enigm_vpn_peer", "enigm_vpn_route0", "enigm_vpn_route1", "enigm_vpn_route2", "enigm_vpn_route3"]);
    expect(back.sections[1]?.options.get("description")).toBe(plan.tunnel?.peer.name);
    expect(back.sections[1]?.options.get("allowed_ips")).toEqual(["0.0.0.0/0", "::/0"]);
  });
});

describe("dhcp", () => {
  it("renders the golden dhcp config", async () => {
    const out = renderDhcp(parseUci(await fixture("dhcp"), "dhcp"), samplePlan());
    expect(serializeUci(out)).toBe(await fixture("dhcp.golden"));
  });

  it("removing leaves the original bytes", async () => {
    const original = await fixture("dhcp");
    const rendered = serializeUci(renderDhcp(parseUci(original, "dhcp"), samplePlan()));
    expect(serializeUci(removeOursFromDhcp(parseUci(rendered, "dhcp")))).toBe(original);
  });

  it("restores the user's own noresolv and servers in place, keeping per-domain servers while on", () => {
    const original = "\nconfig dnsmasq\n\toption noresolv '0'\n\tlist server '9.9.9.9'\n\tlist server '/corp.example/10.1.1.1'\n\toption domain 'lan'\n\nconfig dnsmasq 'second'\n\toption server '1.1.1.1'\n\n";
    const rendered = renderDhcp(parseUci(original, "dhcp"), samplePlan({ dns: ["10.64.0.1"] }));
    expect(rendered.sections[0]?.options.get("noresolv")).toBe("1");
    expect(rendered.sections[0]?.options.get("server")).toEqual(["/corp.example/10.1.1.1", "10.64.0.1@enigm_vpn"]);
    expect(rendered.sections[1]?.options.get("server")).toEqual(["10.64.0.1@enigm_vpn"]);
    const text = serializeUci(rendered);
    expect(serializeUci(removeOursFromDhcp(parseUci(text, "dhcp")))).toBe(original);
    expect(serializeUci(renderDhcp(parseUci(text, "dhcp"), samplePlan({ dns: ["10.64.0.1"] })))).toBe(text);
  });

  it("leaves dhcp alone without tunnel resolvers", async () => {
    const original = await fixture("dhcp");
    expect(serializeUci(renderDhcp(parseUci(original, "dhcp"), samplePlan({ dns: [] })))).toBe(original);
    expect(serializeUci(renderDhcp(parseUci(original, "dhcp"), noTunnel))).toBe(original);
  });
});

describe("applyUciPlan through the store", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "uci-render-"));
    await cp(join(FIXTURES, "network"), join(dir, "config", "network"));
    await cp(join(FIXTURES, "dhcp"), join(dir, "config", "dhcp"));
    await chmod(join(dir, "config", "network"), 0o640);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("writes the golden files, then restores the originals byte for byte", async () => {
    const store = new UciStore({ configDir: join(dir, "config"), saveDir: join(dir, "save") });
    const file = (n: string) => readFile(join(dir, "config", n), "utf8");
    expect(await applyUciPlan(store, samplePlan())).toEqual(["network", "dhcp"]);
    expect(await file("network")).toBe(await fixture("network.golden"));
    expect(await file("dhcp")).toBe(await fixture("dhcp.golden"));
    expect((await stat(join(dir, "config", "network"))).mode & 0o777).toBe(0o640);
    expect(await applyUciPlan(store, samplePlan())).toEqual([]);
    expect(await applyUciPlan(store, null)).toEqual(["network", "dhcp"]);
    expect(await file("network")).toBe(await fixture("network"));
    expect(await file("dhcp")).toBe(await fixture("dhcp"));
  });

  it("leaves the user's pending uci changes pending", async () => {
    const store = new UciStore({ configDir: join(dir, "config"), saveDir: join(dir, "save") });
    await store.set("network", "lan", "ipaddr", "192.168.7.1");
    await applyUciPlan(store, samplePlan());
    expect(await store.changes("network")).toEqual([{ cmd: "change", section: "lan", option: "ipaddr", value: "192.168.7.1" }]);
    expect(await store.get("network", "lan", "ipaddr")).toBe("192.168.7.1");
    expect(await store.get("network", "enigm_vpn", "proto")).toBe("wireguard");
  });

  it("needs no dhcp file (a router without dnsmasq has nothing to forward)", async () => {
    await rm(join(dir, "config", "dhcp"));
    const store = new UciStore({ configDir: join(dir, "config"), saveDir: join(dir, "save") });
    expect(await applyUciPlan(store, samplePlan({ dns: [] }))).toEqual(["network"]);
    expect(await applyUciPlan(store, null)).toEqual(["network"]);
    expect(await applyUciPlan(store, samplePlan())).toEqual(["network"]);
    await rm(join(dir, "config", "network"));
    await expect(applyUciPlan(store, samplePlan())).rejects.toThrow(/config "network" not found/);
  });

  it("changes nothing when a file does not parse", async () => {
    const broken = "config interface 'lan'\n\toption proto \"static\n";
    await writeFile(join(dir, "config", "network"), broken);
    const store = new UciStore({ configDir: join(dir, "config"), saveDir: join(dir, "save") });
    await expect(applyUciPlan(store, samplePlan())).rejects.toThrow(/Parse error \(EOF with unterminated "\) at line 2/);
    expect(await readFile(join(dir, "config", "network"), "utf8")).toBe(broken);
  });
});
