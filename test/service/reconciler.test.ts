import { describe, expect, it } from "vitest";
import { client, server, server2, wgQuick } from "../support/fixtures.ts";
import { simService } from "../support/sim-service.ts";

const twoServers = wgQuick({ peers: [{ publicKey: server.publicKey, endpoint: "198.51.100.10:51820" }, { publicKey: server2.publicKey, endpoint: "198.51.100.20:51820" }] });

describe("reconciler over the simulator", () => {
  it("goes connecting -> protected after the handshake and probe, and off again", async () => {
    const sim = await simService({ handshakeDelayMs: 1000 });
    await sim.service.importConfig({ text: wgQuick(), name: "Cafe" });
    await sim.service.enable();
    expect(sim.service.status().state).toBe("connecting");
    sim.clock.advance(1500);
    await sim.reconciler.tick();
    const s = sim.service.status();
    expect(s.state).toBe("protected");
    expect(s.server?.name).toBe("Cafe");
    expect(s.exitAddress).toMatch(/^203\.0\.113\./);
    await sim.service.disable();
    expect(sim.service.status().state).toBe("off");
    expect(sim.platform.transcript.at(-2)).toBe("link down");
  });

  it("with the kill switch on, a failing handshake is 'blocked', then fails over to the next server", async () => {
    const sim = await simService();
    await sim.service.importConfig({ text: twoServers, name: "Pool" });
    await sim.service.setSettings({ killSwitch: true });
    sim.platform.fail("handshake");
    await sim.service.enable();
    sim.clock.advance(16_000);
    await sim.reconciler.tick();
    expect(sim.service.status().state).toBe("blocked");
    expect(sim.service.status().server?.name).toBe("Pool 1");
    sim.clock.advance(15_000);
    await sim.reconciler.tick();
    expect(sim.service.status().server?.name).toBe("Pool 2");
    expect(sim.platform.transcript.some((l) => l.includes("198.51.100.20:51820"))).toBe(true);
    sim.platform.fail("handshake", false);
    sim.clock.advance(2000);
    await sim.reconciler.tick();
    expect(sim.service.status().state).toBe("protected");
  });

  it("repairs a firewall table someone removed", async () => {
    const sim = await simService();
    await sim.service.importConfig({ text: wgQuick() });
    await sim.service.enable();
    const applied = sim.platform.transcript.length;
    sim.platform.dropFirewall();
    await sim.reconciler.tick();
    expect(await sim.platform.firewallIntact()).toBe(true);
    expect(sim.platform.transcript.length).toBeGreaterThan(applied);
  });

  it("reports an apply failure honestly and keeps the config", async () => {
    const sim = await simService();
    await sim.service.importConfig({ text: wgQuick() });
    sim.platform.fail("apply");
    await sim.service.setSettings({ killSwitch: true });
    await sim.service.enable();
    const s = sim.service.status();
    expect(s.state).toBe("blocked");
    expect(s.applyError).toMatch(/simulated apply failure/);
    expect(sim.repo.config.settings.enabled).toBe(true);
  });

  it("a probe that fails with a fresh handshake is 'degraded', never 'protected'", async () => {
    const sim = await simService();
    await sim.service.importConfig({ text: wgQuick() });
    sim.platform.fail("probe");
    await sim.service.enable();
    sim.clock.advance(1500);
    await sim.reconciler.tick();
    expect(sim.service.status().state).toBe("degraded");
  });

  it("the transcript never holds a key", async () => {
    const sim = await simService();
    await sim.service.importConfig({ text: wgQuick() });
    await sim.service.enable();
    expect(sim.platform.transcript.join("\n")).not.toContain(client.privateKey);
  });
});

describe("apply with rollback", () => {
  it("reverts a guarded change that is not confirmed in time, and keeps a confirmed one", async () => {
    const sim = await simService({ rollbackMs: 50 });
    await sim.service.importConfig({ text: wgQuick() });
    const before = structuredClone(sim.repo.config);
    await sim.service.guarded(() => sim.service.setSettings({ killSwitch: true, ipv6: "tunnel" }));
    expect(sim.service.status().pendingApply).not.toBeNull();
    await expect(sim.service.guarded(() => sim.service.enable())).rejects.toThrow(/waiting for confirmation/);
    await new Promise((r) => setTimeout(r, 120));
    expect(sim.repo.config).toEqual(before);
    expect(sim.service.status().pendingApply).toBeNull();
    expect(sim.platform.transcript.filter((l) => l.startsWith("nft")).at(-1)).toMatch(/kill_switch=off/);

    await sim.service.guarded(() => sim.service.enable());
    sim.service.confirmApply();
    await new Promise((r) => setTimeout(r, 120));
    expect(sim.repo.config.settings.enabled).toBe(true);
  });
});
