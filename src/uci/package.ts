// Small helpers over the in-memory package shape.
import type { UciPackage, UciSection, UciValue } from "./types.ts";

export function cloneSection(s: UciSection): UciSection {
  return { ...s, options: new Map([...s.options].map(([k, v]): [string, UciValue] => [k, Array.isArray(v) ? [...v] : v])) };
}

export function clonePackage(pkg: UciPackage): UciPackage {
  return { name: pkg.name, sections: pkg.sections.map(cloneSection) };
}

/** A named section; options with undefined values are left out. */
export function namedSection(type: string, name: string, options: [string, UciValue | undefined][]): UciSection {
  return { type, name, anonymous: false, options: new Map(options.filter((o): o is [string, UciValue] => o[1] !== undefined)) };
}
