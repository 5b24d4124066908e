import { describe, expect, it } from "vitest";
import { CONNECT_GRACE_MS, HANDSHAKE_FRESH_MS, initialMachine, type Machine, type Observation, step } from "../../src/core/state.ts";

const base: Observation = { policy: "optional", wanted: true, killSwitch: false, server: "ams", applyError: null, lastHandshakeMs: null, probeOk: null };

function run(steps: [number, Partial<Observation>][]): Machine[] {
  let m = initialMachine(0);
  return steps.map(([t, o]) => {
    m = step(m, { ...base, ...o }, t);
    return m;
  });
}

describe("state machine", () => {
  it.each([
    ["not wanted", { wanted: false }, "off"],
    ["forbidden", { policy: "forbidden", wanted: false }, "not_allowed"],
    ["no server, kill switch off", { server: null }, "unprotected"],
    ["no server, kill switch on", { server: null, killSwitch: true }, "blocked"],
    ["apply failed, kill switch on", { applyError: "boom", killSwitch: true }, "blocked"],
    ["waiting for handshake", {}, "connecting"],
    ["handshake, no probe yet", { lastHandshakeMs: 1000 }, "connecting"],
    ["handshake and probe ok", { lastHandshakeMs: 1000, probeOk: true }, "protected"],
    ["handshake, probe fails", { lastHandshakeMs: 1000, probeOk: false }, "degraded"],
  ] as [string, Partial<Observation>, string][])("%s -> %s", (_name, obs, state) => {
    expect(step(initialMachine(0), { ...base, ...obs }, 2000).state).toBe(state);
  });

  it("protected needs a fresh handshake: a stale one starts a new attempt, then blocks", () => {
    const states = run([
      [1000, { lastHandshakeMs: 1000, probeOk: true, killSwitch: true }],
      [1000 + HANDSHAKE_FRESH_MS + 1, { lastHandshakeMs: 1000, probeOk: true, killSwitch: true }],
      [1000 + HANDSHAKE_FRESH_MS + CONNECT_GRACE_MS + 2, { lastHandshakeMs: 1000, probeOk: true, killSwitch: true }],
    ]);
    expect(states.map((s) => s.state)).toEqual(["protected", "connecting", "blocked"]);
    expect(states[2]!.reason).toMatch(/held/);
  });

  it("connecting turns into unprotected after the grace time with the kill switch off", () => {
    const states = run([
      [0, {}],
      [CONNECT_GRACE_MS - 1, {}],
      [CONNECT_GRACE_MS, {}],
    ]);
    expect(states.map((s) => s.state)).toEqual(["connecting", "connecting", "unprotected"]);
    expect(states[2]!.reason).toMatch(/directly/);
  });

  it("keeps `since` while the state holds and resets it on change", () => {
    const states = run([
      [10, {}],
      [20, {}],
      [30, { lastHandshakeMs: 25, probeOk: true }],
    ]);
    expect(states.map((s) => s.since)).toEqual([10, 10, 30]);
  });
});
