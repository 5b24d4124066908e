// Delta ("save") files: one pending change per line, as libuci writes them to /tmp/.uci/<pkg>
// and reads them back when a package is loaded.
import { UciError } from "./errors.ts";
import { Lexer } from "./lexer.ts";
import { isValidName } from "./names.ts";
import { parseUciPtr } from "./ptr.ts";

export type UciDeltaCmd = "add" | "remove" | "change" | "rename" | "reorder" | "list_add" | "list_del";

export interface UciDelta {
  cmd: UciDeltaCmd;
  section: string;
  option?: string;
  value?: string;
}

const PREFIX: Record<UciDeltaCmd, string> = {
  add: "+",
  remove: "-",
  change: "",
  rename: "@",
  reorder: "^",
  list_add: "|",
  list_del: "~",
};
const BY_PREFIX = new Map<string, UciDeltaCmd>(
  Object.entries(PREFIX)
    .filter(([, p]) => p)
    .map(([cmd, p]) => [p, cmd as UciDeltaCmd]),
);

/** libuci's single-quoting: `'` becomes `'\''`, nothing else is escaped. */
export function quoteUci(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

function target(pkg: string, d: UciDelta): string {
  return `${pkg}.${d.section}${d.option === undefined ? "" : `.${d.option}`}`;
}

export function formatDelta(pkg: string, d: UciDelta): string {
  const head = `${PREFIX[d.cmd]}${target(pkg, d)}`;
  return d.cmd === "remove" && d.value === undefined ? `${head}\n` : `${head}=${quoteUci(d.value ?? "")}\n`;
}

/** What `uci changes` prints for these deltas. */
export function formatChanges(pkg: string, deltas: readonly UciDelta[]): string {
  let out = "";
  for (const d of deltas) {
    if (d.cmd === "remove") out += `-${target(pkg, d)}\n`;
    else {
      const op = d.cmd === "list_add" ? "+=" : d.cmd === "list_del" ? "-=" : "=";
      out += `${target(pkg, d)}${op}${quoteUci(d.value ?? "")}\n`;
    }
  }
  return out;
}

/** uci_parse_delta_tuple on one line: the change and the package it names; throws if malformed. */
function parseDeltaLine(lexer: Lexer): { pkg: string; delta: UciDelta } {
  const { arg, rest } = lexer.lineArgument();
  if (rest) throw new UciError("invalid", "trailing text after delta entry");
  const cmd = BY_PREFIX.get(arg[0] ?? "") ?? "change";
  const ptr = parseUciPtr(cmd === "change" ? arg : arg.slice(1));
  if (ptr.section === undefined || ptr.extended) throw new UciError("invalid", `delta entry without a plain section: ${arg}`);
  if (cmd !== "remove" && ptr.value === undefined) throw new UciError("invalid", `delta entry without a value: ${arg}`);
  if (cmd === "reorder" && ptr.option !== undefined) throw new UciError("invalid", `reorder of an option: ${arg}`);
  if (cmd === "rename" && !isValidName(ptr.value ?? "")) throw new UciError("invalid", `rename to an invalid name: ${arg}`);
  if ((cmd === "list_add" || cmd === "list_del") && ptr.option === undefined) throw new UciError("invalid", `list change without an option: ${arg}`);
  const delta: UciDelta = { cmd, section: ptr.section };
  if (ptr.option !== undefined) delta.option = ptr.option;
  if (ptr.value !== undefined) delta.value = ptr.value;
  return { pkg: ptr.package, delta };
}

/**
 * The well-formed entries of a delta file for package `pkg`, in order. Malformed lines and
 * lines for other packages are skipped, as libuci does.
 */
export function parseDeltas(text: string, pkg: string): UciDelta[] {
  const lexer = new Lexer(new TextEncoder().encode(text));
  const out: UciDelta[] = [];
  while (!lexer.eof) {
    try {
      const entry = parseDeltaLine(lexer);
      if (entry.pkg === pkg) out.push(entry.delta);
    } catch (e) {
      if (!(e instanceof UciError)) throw e;
    }
  }
  return out;
}
