// JSON text -> blobmsg entries with the choices of libubox's blobmsg_add_json_from_string on
// json-c: a number written with a fraction or exponent is a DOUBLE even when whole (1.0, 1e3);
// other numbers are INT32 when they fit, else INT64 clamped to its range; booleans are INT8;
// a duplicate key keeps its first position and its last value; the top level must be an object.
import { clampInt64 } from "./blobmsg-encode.ts";
import { type BlobmsgEntry, BlobmsgType } from "./blobmsg-types.ts";

/** json-c's default nesting limit (JSON_TOKENER_DEFAULT_DEPTH). */
const MAX_DEPTH = 32;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const PLAIN = /[^"\\\u0000-\u001f]*/y;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export class JsonTextError extends SyntaxError {
  override name = "JsonTextError";
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new JsonTextError(`${what} at position ${this.pos}`);
  }

  ws(): void {
    while (this.pos < this.text.length && " \t\n\r".includes(this.text[this.pos]!)) this.pos++;
  }

  eat(ch: string): boolean {
    this.ws();
    if (this.text[this.pos] !== ch) return false;
    this.pos++;
    return true;
  }

  expect(ch: string): void {
    if (!this.eat(ch)) this.fail(`expected '${ch}'`);
  }

  string(): string {
    this.expect('"');
    let out = "";
    for (;;) {
      PLAIN.lastIndex = this.pos;
      const run = PLAIN.exec(this.text)![0];
      out += run;
      this.pos += run.length;
      if (this.pos >= this.text.length) this.fail("unterminated string");
      const ch = this.text[this.pos++];
      if (ch === '"') return out;
      if (ch !== "\\") this.fail("control character in string");
      const esc = this.text[this.pos++] ?? "";
      if (esc === "u") {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("bad \\u escape");
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.pos += 4;
      } else if (ESCAPES[esc] !== undefined) {
        out += ESCAPES[esc];
      } else {
        this.fail(`bad escape \\${esc}`);
      }
    }
  }

  value(name: string, depth: number): BlobmsgEntry {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.ws();
    const ch = this.text[this.pos];
    if (ch === "{") return { type: BlobmsgType.TABLE, name, children: this.object(depth) };
    if (ch === "[") return { type: BlobmsgType.ARRAY, name, children: this.array(depth) };
    if (ch === '"') return { type: BlobmsgType.STRING, name, value: this.string() };
    for (const [word, entry] of [
      ["true", { type: BlobmsgType.INT8, name, value: 1 }],
      ["false", { type: BlobmsgType.INT8, name, value: 0 }],
      ["null", { type: BlobmsgType.UNSPEC, name }],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return entry;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail("unexpected character");
    this.pos += m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) return { type: BlobmsgType.DOUBLE, name, value: Number(m[0]) };
    const n = BigInt(m[0]);
    if (n >= -0x80000000n && n <= 0x7fffffffn) return { type: BlobmsgType.INT32, name, value: Number(n) };
    return { type: BlobmsgType.INT64, name, value: clampInt64(n) };
  }

  object(depth: number): BlobmsgEntry[] {
    this.expect("{");
    const out: BlobmsgEntry[] = [];
    const index = new Map<string, number>();
    if (this.eat("}")) return out;
    do {
      this.ws();
      const key = this.string();
      this.expect(":");
      const entry = this.value(key, depth + 1);
      const at = index.get(key);
      if (at === undefined) {
        index.set(key, out.length);
        out.push(entry);
      } else {
        out[at] = entry;
      }
    } while (this.eat(","));
    this.expect("}");
    return out;
  }

  array(depth: number): BlobmsgEntry[] {
    this.expect("[");
    const out: BlobmsgEntry[] = [];
    if (this.eat("]")) return out;
    do out.push(this.value("", depth + 1));
    while (this.eat(","));
    this.expect("]");
    return out;
  }
}

/** The entries of a JSON object text; throws JsonTextError where blobmsg_add_json_from_string fails. */
export function parseJsonEntries(text: string): BlobmsgEntry[] {
  const p = new Parser(text);
  p.ws();
  if (p.text[p.pos] !== "{") p.fail("the top level must be an object");
  const entries = p.object(0);
  p.ws();
  if (p.pos !== text.length) p.fail("trailing characters");
  return entries;
}
