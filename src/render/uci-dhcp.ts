// Plan -> /etc/config/dhcp: while protected, every dnsmasq instance forwards only to the
// tunnel's resolvers. OpenWrt's dnsmasq init turns `noresolv 1` into --no-resolv (ignore the
// uplink's resolv.conf) and passes each `server` item as --server=..., where `ADDR@IFACE`
// makes dnsmasq send those queries out of the tunnel interface only.
//
// This edits the user's dnsmasq sections, so what they had is saved first in a section of
// ours (`config enigm_vpn_saved 'enigm_vpn_dnsmasqN'` for the N-th dnsmasq section: the
// original options verbatim, and `list absent` for those that were not set) and put back in
// place on removal, leaving the file byte-identical.
import type { Plan } from "../core/plan-types.ts";
import { cloneSection, namedSection } from "../uci/package.ts";
import type { UciPackage, UciSection, UciValue } from "../uci/types.ts";
import { OWN_PREFIX, withoutOurs } from "./uci-owned.ts";

const TOUCHED = ["noresolv", "server"] as const;
const SAVED_TYPE = `${OWN_PREFIX}_saved`;
const savedName = (i: number): string => `${OWN_PREFIX}_dnsmasq${i}`;

function restore(target: UciSection, saved: UciSection): UciSection {
  const out = cloneSection(target);
  const absent = new Set(saved.options.get("absent") ?? []);
  for (const name of TOUCHED) {
    const value = saved.options.get(name);
    if (absent.has(name) || value === undefined) out.options.delete(name);
    else out.options.set(name, value);
  }
  return out;
}

/** Remove everything enigm-vpn added to `dhcp`, restoring the dnsmasq options it changed. */
export function removeOursFromDhcp(dhcp: UciPackage): UciPackage {
  const saved = new Map(dhcp.sections.filter((s) => s.type === SAVED_TYPE && !s.anonymous).map((s) => [s.name, s]));
  let n = 0;
  const sections = withoutOurs(dhcp).sections.map((s) => {
    if (s.type !== "dnsmasq") return s;
    const orig = saved.get(savedName(n++));
    return orig ? restore(s, orig) : s;
  });
  return { name: dhcp.name, sections };
}

function protect(s: UciSection, upstreams: string[]): UciSection {
  const out = cloneSection(s);
  const old = s.options.get("server");
  // Per-domain forwards (`/domain/addr`) are the user's local setup and stay.
  const local = (typeof old === "string" ? [old] : (old ?? [])).filter((v) => v.startsWith("/"));
  out.options.set("noresolv", "1");
  out.options.set("server", [...local, ...upstreams]);
  return out;
}

function saveOriginal(s: UciSection, i: number): UciSection {
  const absent = TOUCHED.filter((name) => !s.options.has(name));
  const kept = TOUCHED.filter((name) => s.options.has(name)).map((name): [string, UciValue | undefined] => [name, s.options.get(name)]);
  return namedSection(SAVED_TYPE, savedName(i), [...kept, ["absent", absent.length ? absent : undefined]]);
}

/**
 * `dhcp` with LAN DNS forwarded only through the tunnel when the plan has tunnel resolvers
 * (plan.dnsUpstreams); otherwise the user's own settings.
 */
export function renderDhcp(dhcp: UciPackage, plan: Plan): UciPackage {
  const base = removeOursFromDhcp(dhcp);
  if (!plan.tunnel || plan.dnsUpstreams.length === 0) return base;
  const iface = plan.tunnel.ifname;
  const upstreams = plan.dnsUpstreams.map((addr) => `${addr}@${iface}`);
  const saved: UciSection[] = [];
  const sections = base.sections.map((s) => {
    if (s.type !== "dnsmasq") return s;
    saved.push(saveOriginal(s, saved.length));
    return protect(s, upstreams);
  });
  return { name: base.name, sections: [...sections, ...saved] };
}
