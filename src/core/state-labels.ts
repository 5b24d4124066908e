// The states in words, the same in the CLI and the web UI.
import type { VpnState } from "./state.ts";

export const STATE_LABEL: Record<VpnState, string> = {
  protected: "Protected",
  connecting: "Connecting",
  blocked: "Blocked: waiting for the VPN",
  unprotected: "Not protected",
  degraded: "Degraded",
  off: "Off",
  not_allowed: "Not allowed by policy",
};
