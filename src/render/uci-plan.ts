// The OpenWrt UCI side of a plan, in one call, and its application through a UciStore.
import type { Plan } from "../core/plan-types.ts";
import { UciError } from "../uci/errors.ts";
import type { UciStore } from "../uci/store.ts";
import type { UciPackage } from "../uci/types.ts";
import { removeOursFromDhcp, renderDhcp } from "./uci-dhcp.ts";
import { removeOursFromNetwork, renderNetwork } from "./uci-network.ts";

export interface OpenWrtUci {
  network: UciPackage;
  dhcp: UciPackage;
}

export function renderUci(current: OpenWrtUci, plan: Plan): OpenWrtUci {
  return { network: renderNetwork(current.network, plan), dhcp: renderDhcp(current.dhcp, plan) };
}

export function removeOursFromUci(current: OpenWrtUci): OpenWrtUci {
  return { network: removeOursFromNetwork(current.network), dhcp: removeOursFromDhcp(current.dhcp) };
}

/**
 * Write the plan's network/dhcp sections into the committed files (the user's pending uci
 * changes stay pending); `plan` null removes everything of ours. Returns the packages whose
 * file changed, for the caller to reload (network, dnsmasq).
 */
export async function applyUciPlan(store: UciStore, plan: Plan | null): Promise<string[]> {
  const changed: string[] = [];
  if (await updateIfNeeded(store, "network", (p) => (plan ? renderNetwork(p, plan) : removeOursFromNetwork(p)))) changed.push("network");
  if (await updateIfNeeded(store, "dhcp", (p) => (plan ? renderDhcp(p, plan) : removeOursFromDhcp(p)))) changed.push("dhcp");
  return changed;
}

/** A missing file is fine when there is nothing of ours to put in it (e.g. no dnsmasq). */
async function updateIfNeeded(store: UciStore, name: string, render: (p: UciPackage) => UciPackage): Promise<boolean> {
  try {
    return await store.update(name, render);
  } catch (e) {
    if (e instanceof UciError && e.code === "not_found" && render({ name, sections: [] }).sections.length === 0) return false;
    throw e;
  }
}
