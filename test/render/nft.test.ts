import { describe, expect, it } from "vitest";
import { renderNftRuleset } from "../../src/render/nft.ts";
import { isRoot, must, run, withNetns } from "../lab/exec.ts";
import { plan, tunnel } from "./nft-fixtures.ts";

const cases = {
  "vpn-off": plan({ tunnel: null }),
  "on-dns-ipv6-block": plan({}),
  "on-kill-switch": plan({ killSwitch: true }),
  "kill-switch-no-tunnel": plan({ tunnel: null, killSwitch: true, dnsProtection: true }),
  "ipv6-tunnel-v6-endpoint-named": plan({
    killSwitch: true,
    ipv6: "tunnel",
    allowRouterDns: true,
    lanIfaces: ["br-lan", "br-guest"],
    tunnel: tunnel({ peer: { ...tunnel().peer, endpointHost: "vpn.example.net", endpointAddrs: ["203.0.113.7", "2001:db8::7"] } }),
  }),
  "no-lan-known": plan({ killSwitch: true, lanIfaces: [] }),
};

describe("nft ruleset renderer", () => {
  it.each(Object.entries(cases))("%s matches its golden file", async (name, p) => {
    await expect(renderNftRuleset(p)).toMatchFileSnapshot(`./nft-golden/${name}.nft`);
  });

  it("replaces the table in one transaction: create-if-missing, delete, define", () => {
    const lines = renderNftRuleset(plan()).split("\n");
    expect(lines.slice(1, 4)).toEqual(["table inet enigm_vpn {}", "delete table inet enigm_vpn", "table inet enigm_vpn {"]);
  });

  it("never mentions key material", () => {
    const text = renderNftRuleset(plan({ killSwitch: true }));
    expect(text).not.toContain(tunnel().privateKey);
    expect(text).not.toContain(tunnel().peer.publicKey);
  });

  it.each([
    [{ lanIfaces: ['br"lan'] }, /firewall\.lanIfaces: not a valid interface name: "br\\"lan"/],
    [{ lanIfaces: ["a-very-long-interface-name"] }, /firewall\.lanIfaces/],
  ])("rejects a bad interface name %j", (o, message) => {
    expect(() => renderNftRuleset(plan(o))).toThrow(message);
  });

  it("rejects an endpoint that is not an address", () => {
    const p = plan();
    p.firewall.endpoints = [{ addr: "vpn.example.net", port: 51820 }];
    expect(() => renderNftRuleset(p)).toThrow(/firewall\.endpoints: not an IP address: "vpn\.example\.net"/);
  });

  it("changes the table comment whenever the rules change", () => {
    const tag = (text: string) => /comment "enigm-vpn ([0-9a-f]{8})"/.exec(text)?.[1];
    expect(tag(renderNftRuleset(plan()))).not.toBe(tag(renderNftRuleset(plan({ killSwitch: true }))));
    expect(tag(renderNftRuleset(plan()))).toBe(tag(renderNftRuleset(plan())));
  });
});

describe.skipIf(!isRoot)("nft accepts the ruleset (real nft in a throwaway namespace)", () => {
  it.each(Object.entries(cases))("%s: nft -c, then load twice and list", async (_name, p) => {
    const text = renderNftRuleset(p);
    await withNetns(async (ns) => {
      await must(["ip", "netns", "exec", ns, "nft", "-c", "-f", "-"], { stdin: text });
      await must(["ip", "netns", "exec", ns, "nft", "-f", "-"], { stdin: text });
      // Loading again must replace, not duplicate: the listing has each chain once.
      await must(["ip", "netns", "exec", ns, "nft", "-f", "-"], { stdin: text });
      const listing = await must(["ip", "netns", "exec", ns, "nft", "list", "table", "inet", "enigm_vpn"]);
      for (const chain of text.match(/chain \w+/g) ?? []) expect(listing.split(chain).length).toBe(2);
    });
  });

  it("loads beside another table and leaves it alone", async () => {
    await withNetns(async (ns) => {
      await must(["ip", "netns", "exec", ns, "nft", "-f", "-"], { stdin: "table inet fw4 {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n\t}\n}\n" });
      await must(["ip", "netns", "exec", ns, "nft", "-f", "-"], { stdin: renderNftRuleset(plan({ killSwitch: true })) });
      const tables = await must(["ip", "netns", "exec", ns, "nft", "list", "tables"]);
      expect(tables.trim().split("\n").sort()).toEqual(["table inet enigm_vpn", "table inet fw4"]);
    });
  });

  it("a rejected ruleset leaves the loaded one in place", async () => {
    await withNetns(async (ns) => {
      const good = renderNftRuleset(plan({ killSwitch: true }));
      await must(["ip", "netns", "exec", ns, "nft", "-f", "-"], { stdin: good });
      const broken = good.replace("policy accept;", "policy maybe;");
      const r = await run(["ip", "netns", "exec", ns, "nft", "-f", "-"], { stdin: broken });
      expect(r.code).not.toBe(0);
      const listing = await must(["ip", "netns", "exec", ns, "nft", "list", "table", "inet", "enigm_vpn"]);
      expect(listing).toContain("kill switch");
    });
  });
});
