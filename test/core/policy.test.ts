import { describe, expect, it } from "vitest";
import type { Policy, Settings } from "../../src/core/config.ts";
import { effective, permissionForPolicyChange } from "../../src/core/policy.ts";

const settings = (enabled: boolean, killSwitch: boolean): Settings => ({ enabled, killSwitch, dnsProtection: true, ipv6: "block" });

describe("effective policy", () => {
  it.each([
    // mode, enabled, killSwitch -> wanted, killSwitch, canEnable, canDisable, canChangeKillSwitch
    ["optional", false, false, false, false, true, true, true],
    ["optional", true, false, true, false, true, true, true],
    ["optional", true, true, true, true, true, true, true],
    ["required", false, false, true, true, true, false, false],
    ["required", true, false, true, true, true, false, false],
    ["forbidden", true, true, false, false, false, true, false],
    ["forbidden", false, false, false, false, false, true, false],
  ] as const)("%s enabled=%s killSwitch=%s", (mode, enabled, ks, wanted, killSwitch, canEnable, canDisable, canChangeKillSwitch) => {
    const e = effective({ mode, locked: false }, settings(enabled, ks));
    expect({ wanted: e.wanted, killSwitch: e.killSwitch, canEnable: e.canEnable, canDisable: e.canDisable, canChangeKillSwitch: e.canChangeKillSwitch }).toEqual({
      wanted,
      killSwitch,
      canEnable,
      canDisable,
      canChangeKillSwitch,
    });
    expect(e.reason === "").toBe(mode === "optional");
  });

  it.each([
    [{ mode: "optional", locked: false }, { mode: "required", locked: false }, "write"],
    [{ mode: "optional", locked: false }, { mode: "required", locked: true }, "admin"],
    [{ mode: "required", locked: true }, { mode: "optional", locked: true }, "admin"],
    [{ mode: "required", locked: true }, { mode: "required", locked: false }, "admin"],
  ] as [Policy, Policy, string][])("changing %o to %o needs %s", (from, to, need) => {
    expect(permissionForPolicyChange(from, to)).toBe(need);
  });
});
