// Text libuci writes: the file `uci commit` produces, `uci export`, `uci show`, `uci get`.
import { quoteUci } from "./delta.ts";
import type { UciPackage, UciSection, UciValue } from "./types.ts";

const esc = (s: string): string => s.replaceAll("'", "'\\''");

function exportBody(pkg: UciPackage, names: boolean): string {
  let out = "";
  for (const s of pkg.sections) {
    out += `\nconfig ${esc(s.type)}`;
    if (!s.anonymous || names) out += ` '${esc(s.name)}'`;
    out += "\n";
    for (const [name, value] of s.options) {
      if (typeof value === "string") out += `\toption ${esc(name)} '${esc(value)}'\n`;
      else for (const item of value) out += `\tlist ${esc(name)} '${esc(item)}'\n`;
    }
  }
  return `${out}\n`;
}

/** Exactly the bytes `uci commit` writes for this package. */
export function serializeUci(pkg: UciPackage): string {
  return exportBody(pkg, false);
}

/** What `uci export <pkg>` prints (`names`: the `-n` flag, naming anonymous sections). */
export function exportUci(pkg: UciPackage, opts: { names?: boolean } = {}): string {
  return `package ${esc(pkg.name)}\n${exportBody(pkg, opts.names ?? false)}`;
}

export interface ShowOptions {
  /** `@type[i]` for anonymous sections (the default; `uci -X` turns it off). */
  extended?: boolean;
  /** Between list items (`uci -d`), default one space. */
  delimiter?: string;
}

function showValue(value: UciValue, delimiter: string): string {
  return typeof value === "string" ? quoteUci(value) : value.map(quoteUci).join(delimiter);
}

/** `uci show pkg.section` lines for one section, under the given reference. */
export function showSection(pkgName: string, s: UciSection, opts: ShowOptions = {}, ref = s.name): string {
  let out = `${pkgName}.${ref}=${s.type}\n`;
  for (const [name, value] of s.options) out += `${pkgName}.${ref}.${name}=${showValue(value, opts.delimiter ?? " ")}\n`;
  return out;
}

/** `uci show pkg.section.option`. */
export function showOption(pkgName: string, s: UciSection, option: string, value: UciValue, opts: ShowOptions = {}): string {
  return `${pkgName}.${s.name}.${option}=${showValue(value, opts.delimiter ?? " ")}\n`;
}

/** `uci show pkg`. */
export function showUci(pkg: UciPackage, opts: ShowOptions = {}): string {
  const seen = new Map<string, number>();
  let out = "";
  for (const s of pkg.sections) {
    const idx = seen.get(s.type) ?? 0;
    seen.set(s.type, idx + 1);
    const ref = opts.extended === false || !s.anonymous ? s.name : `@${s.type}[${idx}]`;
    out += showSection(pkg.name, s, opts, ref);
  }
  return out;
}

/** `uci get` of an option: list items are quoted only when they hold whitespace. */
export function getText(value: UciValue, delimiter = " "): string {
  if (typeof value === "string") return `${value}\n`;
  return `${value.map((v) => (/[ \t\r\n]/.test(v) ? quoteUci(v) : v)).join(delimiter)}\n`;
}
