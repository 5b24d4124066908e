// Compares decoded blobmsg with what libubox's blobmsg_format_json printed. That text is not
// always JSON (%lf doubles, -nan, `{"value"}` for an empty name, a stray comma where an invalid
// element was dropped), so both sides are brought to one canonical tree: scalars as tagged
// strings ("i:-1", "d:1.500000", "s:text", "b:true", "null"), tables as [name, node] pairs
// (name "" when C printed none), arrays as lists.
import { type BlobmsgEntry, BlobmsgType } from "../../src/ubus/blobmsg-types.ts";

export type CNode = string | { o: [string, CNode][] } | { a: CNode[] };

/** printf("%lf"), including -0.000000 and inf. NaN's sign is no JS value: -nan and nan are one. */
export function cDouble(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x < 0 ? "-inf" : "inf";
  if (Math.abs(x) < 1e21) return (Object.is(x, -0) ? "-" : "") + x.toFixed(6);
  return `${BigInt(x)}.000000`;
}

function entryNode(e: BlobmsgEntry): CNode {
  switch (e.type) {
    case BlobmsgType.UNSPEC:
      return "null";
    case BlobmsgType.TABLE:
      return { o: e.children.map((c) => [c.name, entryNode(c)]) };
    case BlobmsgType.ARRAY:
      return { a: e.children.map(entryNode) };
    case BlobmsgType.STRING:
      return `s:${e.value}`;
    case BlobmsgType.INT8:
      return `b:${e.value !== 0}`;
    case BlobmsgType.DOUBLE:
      return `d:${cDouble(e.value)}`;
    default:
      return `i:${e.value}`;
  }
}

/** Our entries as blobmsg_format_json(root, list=true) sees them: the root always as a table. */
export const entriesNode = (entries: BlobmsgEntry[]): CNode => ({ o: entries.map((c) => [c.name, entryNode(c)]) });

/** Reads blobmsg_format_json / _indent output. */
export function readCJson(text: string): CNode {
  let pos = 0;
  const ws = () => {
    while (/\s/.test(text[pos] ?? "")) pos++;
  };
  const str = (): string => {
    let out = "";
    pos++;
    for (;;) {
      const ch = text[pos++];
      if (ch === undefined) throw new Error("unterminated string");
      if (ch === '"') return out;
      if (ch !== "\\") {
        out += ch;
        continue;
      }
      const esc = text[pos++]!;
      if (esc === "u") {
        out += String.fromCharCode(Number.parseInt(text.slice(pos, pos + 4), 16));
        pos += 4;
      } else {
        out += ({ b: "\b", n: "\n", t: "\t", r: "\r", f: "\f" } as Record<string, string>)[esc] ?? esc;
      }
    }
  };
  const list = (close: string, keyed: boolean): [string, CNode][] => {
    pos++;
    const items: [string, CNode][] = [];
    for (;;) {
      ws();
      if (text[pos] === close) {
        pos++;
        return items;
      }
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      let key = "";
      let node: CNode;
      if (text[pos] === '"') {
        const s = str();
        ws();
        if (keyed && text[pos] === ":") {
          pos++;
          key = s;
          node = value();
        } else {
          node = `s:${s}`;
        }
      } else {
        node = value();
      }
      items.push([key, node]);
    }
  };
  const value = (): CNode => {
    ws();
    const ch = text[pos];
    if (ch === "{") return { o: list("}", true) };
    if (ch === "[") return { a: list("]", false).map(([, n]) => n) };
    if (ch === '"') return `s:${str()}`;
    const m = /^(?:true|false|null|-?nan|-?inf|-?\d+(?:\.\d+)?)/.exec(text.slice(pos));
    if (!m) throw new Error(`unexpected ${JSON.stringify(text.slice(pos, pos + 20))}`);
    pos += m[0].length;
    const t = m[0];
    if (t === "true" || t === "false") return `b:${t}`;
    if (t === "null") return "null";
    if (t.endsWith("nan")) return "d:nan";
    return /inf|\./.test(t) ? `d:${t}` : `i:${t}`;
  };
  return value();
}
