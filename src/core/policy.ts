// What the deployment policy makes of the user's settings: the effective switch positions and
// what the user may change, each refusal with a reason a person can read.
import type { Policy, Settings } from "./config.ts";

export interface Effective {
  /** The tunnel should be up. */
  wanted: boolean;
  killSwitch: boolean;
  canEnable: boolean;
  canDisable: boolean;
  canChangeKillSwitch: boolean;
  /** Why the user's choice is overridden or limited; empty under an optional policy. */
  reason: string;
}

export const REASONS = {
  required: "The deployment policy requires the VPN: it stays on, and traffic is held while the tunnel is down.",
  forbidden: "The deployment policy does not allow the VPN on this network.",
  locked: "The deployment policy is locked by the administrator.",
} as const;

export function effective(policy: Policy, settings: Settings): Effective {
  switch (policy.mode) {
    case "required":
      return { wanted: true, killSwitch: true, canEnable: true, canDisable: false, canChangeKillSwitch: false, reason: REASONS.required };
    case "forbidden":
      return { wanted: false, killSwitch: false, canEnable: false, canDisable: true, canChangeKillSwitch: false, reason: REASONS.forbidden };
    case "optional":
      return { wanted: settings.enabled, killSwitch: settings.killSwitch, canEnable: true, canDisable: true, canChangeKillSwitch: true, reason: "" };
  }
}

export type Permission = "read" | "write" | "admin";

/** Changing the policy needs admin rights when it is locked, or when the change would lock it. */
export function permissionForPolicyChange(current: Policy, next: Policy): Permission {
  return current.locked || next.locked ? "admin" : "write";
}
