// Small helpers over the in-memory section shape.
import type { UciSection, UciValue } from "./types.ts";

export function cloneSection(s: UciSection): UciSection {
  return { ...s, options: new Map([...s.options].map(([k, v]): [string, UciValue] => [k, Array.isArray(v) ? [...v] : v])) };
}

/** A named section; options with undefined values are left out. */
export function namedSection(type: string, name: string, options: [string, UciValue | undefined][]): UciSection {
  return { type, name, anonymous: false, options: new Map(options.filter((o): o is [string, UciValue] => o[1] !== undefined)) };
}
