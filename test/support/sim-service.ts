// A VpnService over the simulator with an in-memory config and a controllable clock.
import type { Config } from "../../src/core/config.ts";
import { SimPlatform } from "../../src/platform/sim/index.ts";
import { silentLogger } from "../../src/service/log.ts";
import { Reconciler } from "../../src/service/reconciler.ts";
import { VpnService } from "../../src/service/vpn-service.ts";
import { MemoryConfigRepositoryDouble } from "./memory-config-repository.ts";

export async function simService(opts: { config?: Config; handshakeDelayMs?: number; rollbackMs?: number } = {}) {
  let now = 1_000_000;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const platform = new SimPlatform({ now: clock.now, handshakeDelayMs: opts.handshakeDelayMs ?? 1000 });
  const repo = new MemoryConfigRepositoryDouble(opts.config);
  const reconciler = new Reconciler(platform, { tunnelIfname: "envpn-test", now: clock.now, log: silentLogger, probeEveryMs: 0, failoverAfterMs: 30_000 });
  const service = new VpnService(repo, reconciler, { now: clock.now, ...(opts.rollbackMs ? { rollbackMs: opts.rollbackMs } : {}) });
  await service.start();
  return { service, platform, repo, reconciler, clock };
}
