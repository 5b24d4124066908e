// The connection state machine. Pure: every step gets the previous state, what was observed
// and the time, so tests drive it with a fake clock.
import type { PolicyMode } from "./config.ts";

export type VpnState = "off" | "connecting" | "protected" | "degraded" | "unprotected" | "blocked" | "not_allowed";

export interface Observation {
  policy: PolicyMode;
  wanted: boolean;
  killSwitch: boolean;
  /** Name of the server in use, null when none is configured. */
  server: string | null;
  /** Last apply failure, null when the system matches the plan. */
  applyError: string | null;
  lastHandshakeMs: number | null;
  /** In-tunnel probe verdict; null when no probe has run since the handshake. */
  probeOk: boolean | null;
}

export interface Machine {
  state: VpnState;
  reason: string;
  /** When the current state was entered. */
  since: number;
  /** When the current connection attempt started; null when not trying. */
  attemptSince: number | null;
}

/** WireGuard rejects a session after 180 s without a new handshake (REJECT_AFTER_TIME). */
export const HANDSHAKE_FRESH_MS = 180_000;
/** How long a new attempt may take before traffic is reported as blocked or unprotected. */
export const CONNECT_GRACE_MS = 15_000;

export const initialMachine = (now: number): Machine => ({ state: "off", reason: "", since: now, attemptSince: null });

function to(prev: Machine, state: VpnState, reason: string, now: number, attemptSince: number | null): Machine {
  return { state, reason, since: prev.state === state ? prev.since : now, attemptSince };
}

export function step(prev: Machine, obs: Observation, now: number): Machine {
  if (obs.policy === "forbidden") return to(prev, "not_allowed", "The deployment policy does not allow the VPN on this network.", now, null);
  if (!obs.wanted) return to(prev, "off", "The VPN is switched off; traffic goes directly to the uplink.", now, null);

  const down = obs.killSwitch ? "blocked" : "unprotected";
  const held = obs.killSwitch ? "traffic is held until the tunnel is up" : "traffic goes directly to the uplink, unprotected";
  if (obs.server === null) return to(prev, down, `No VPN server is configured; ${held}.`, now, null);
  if (obs.applyError !== null) return to(prev, down, `Setting up the tunnel failed: ${obs.applyError}; ${held}.`, now, prev.attemptSince ?? now);

  const fresh = obs.lastHandshakeMs !== null && now - obs.lastHandshakeMs < HANDSHAKE_FRESH_MS;
  if (fresh) {
    if (obs.probeOk === true) return to(prev, "protected", `Traffic goes through ${obs.server}.`, now, null);
    if (obs.probeOk === false) return to(prev, "degraded", `The tunnel to ${obs.server} is up but the check through it fails.`, now, null);
    return to(prev, "connecting", `Checking the tunnel to ${obs.server}.`, now, prev.attemptSince ?? now);
  }
  // A lost handshake starts a new attempt, so a reconnect shows "connecting" before "blocked".
  const attemptSince = prev.attemptSince ?? now;
  if (now - attemptSince < CONNECT_GRACE_MS) return to(prev, "connecting", `Connecting to ${obs.server}.`, now, attemptSince);
  return to(prev, down, `No handshake with ${obs.server}; ${held}.`, now, attemptSince);
}

/** A state the user can trust their traffic in. */
export const isProtected = (state: VpnState): boolean => state === "protected";
