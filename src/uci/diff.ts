// The uci changes (deltas) that turn one version of a package into another, using only what
// libuci can express: options change in place, new options and sections are appended, lists
// are rebuilt in place by setting the first item and appending the rest.
import type { UciDelta } from "./delta.ts";
import type { UciPackage, UciSection, UciValue } from "./types.ts";

function sameValue(a: UciValue | undefined, b: UciValue): boolean {
  if (typeof a === "string" || a === undefined || typeof b === "string") return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function optionDeltas(section: string, from: UciSection | undefined, to: UciSection): UciDelta[] {
  const out: UciDelta[] = [];
  for (const name of from?.options.keys() ?? []) {
    if (!to.options.has(name)) out.push({ cmd: "remove", section, option: name });
  }
  for (const [option, value] of to.options) {
    const old = from?.options.get(option);
    if (sameValue(old, value)) continue;
    if (typeof value === "string") {
      out.push({ cmd: "change", section, option, value });
      continue;
    }
    let rest = value;
    if (Array.isArray(old) && old.every((v, i) => v === value[i])) rest = value.slice(old.length);
    else if (old !== undefined) {
      out.push({ cmd: "change", section, option, value: value[0] ?? "" });
      rest = value.slice(1);
    }
    for (const item of rest) out.push({ cmd: "list_add", section, option, value: item });
  }
  return out;
}

export function diffUci(from: UciPackage, to: UciPackage): UciDelta[] {
  const out: UciDelta[] = [];
  const before = new Map(from.sections.map((s) => [s.name, s]));
  const wanted = new Set(to.sections.map((s) => s.name));
  const order = from.sections.filter((s) => wanted.has(s.name)).map((s) => s.name);
  for (const s of from.sections) if (!wanted.has(s.name)) out.push({ cmd: "remove", section: s.name });
  for (const s of to.sections) {
    const old = before.get(s.name);
    if (!old) {
      out.push({ cmd: s.anonymous ? "add" : "change", section: s.name, value: s.type });
      order.push(s.name);
    } else if (old.type !== s.type) out.push({ cmd: "change", section: s.name, value: s.type });
    out.push(...optionDeltas(s.name, old, s));
  }
  to.sections.forEach((s, i) => {
    if (order[i] === s.name) return;
    order.splice(order.indexOf(s.name), 1);
    order.splice(i, 0, s.name);
    out.push({ cmd: "reorder", section: s.name, value: String(i) });
  });
  return out;
}

/** Same sections in the same order with the same names and anonymity. */
export function sameNames(a: UciPackage, b: UciPackage): boolean {
  return a.sections.length === b.sections.length && a.sections.every((s, i) => s.name === b.sections[i]?.name && s.anonymous === b.sections[i]?.anonymous);
}
