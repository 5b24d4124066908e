// libuci's tokenizer, reproduced on a byte buffer so that what it accepts, how it joins
// multi-line values and the line/byte it reports on errors match the C code. libuci reads
// one line at a time into a buffer, appends the next line at the current position when a
// quote or a trailing backslash continues a value, and writes each argument back into the
// buffer in place (dropping quotes and escapes); a few of its quirks follow from that, e.g.
// in `option a b;c` the terminator overwrites the `;` and `c` is silently lost.
import { UciParseError } from "./errors.ts";
import { isValidName, isValidPackageStatement } from "./names.ts";

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const SEMI = 59;
const SQUOTE = 39;
const DQUOTE = 34;
const BACKSLASH = 92;

export function isSpace(c: number): boolean {
  return c === SPACE || (c >= 9 && c <= 13);
}

export class Lexer {
  buf: Buffer = Buffer.alloc(256);
  /** End of the bytes read into buf (libuci's buf_filled). */
  filled = 0;
  pos = 0;
  /** Lines read so far that ended in a newline (libuci's error line number). */
  line = 0;
  private readOff = 0;

  private readonly src: Buffer;
  private readonly hasNul: boolean;

  constructor(src: Uint8Array) {
    this.src = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
    this.hasNul = this.src.includes(0);
  }

  get eof(): boolean {
    return this.readOff >= this.src.length;
  }

  fail(reason: string): never {
    throw new UciParseError(reason, this.line, this.pos);
  }

  /** uci_getln: read the next line into buf at `offset` (a NUL byte cuts a line short). */
  readLine(offset: number): void {
    let ofs = offset;
    this.reserve(ofs + 1);
    this.buf[ofs] = 0;
    for (;;) {
      if (this.eof) return;
      const nl = this.src.indexOf(NL, this.readOff);
      const end = nl < 0 ? this.src.length : nl + 1;
      const start = this.readOff;
      this.readOff = end;
      const nul = this.hasNul ? this.src.subarray(start, end).indexOf(0) : -1;
      const len = nul < 0 ? end - start : nul;
      if (len === 0) return;
      this.reserve(ofs + len + 1);
      this.buf.set(this.src.subarray(start, start + len), ofs);
      ofs += len;
      this.buf[ofs] = 0;
      this.filled = ofs;
      if (this.buf[ofs - 1] === NL) {
        this.line++;
        return;
      }
    }
  }

  private reserve(size: number): void {
    if (size + 2 <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < size + 2) n *= 2;
    const next = Buffer.alloc(n);
    this.buf.copy(next);
    this.buf = next;
  }

  cur(): number {
    return this.buf[this.pos] ?? 0;
  }

  skipWhitespace(): void {
    while (this.cur() && isSpace(this.cur())) this.pos++;
  }

  /** The NUL-terminated string starting at `off`. */
  str(off: number): string {
    const buf = this.buf;
    let end = off;
    let ascii = true;
    for (let c = buf[end]; c; c = buf[++end]) if (c > 127) ascii = false;
    if (!ascii || end - off > 24) return buf.toString(ascii ? "latin1" : "utf8", off, end);
    let out = "";
    for (let i = off; i < end; i++) out += String.fromCharCode(buf[i] as number);
    return out;
  }

  /** strtok(cur, " \t"): the command word, NUL-terminated in place; undefined at end of line. */
  word(): { start: number; end: number } | undefined {
    let s = this.pos;
    while (this.buf[s] === SPACE || this.buf[s] === TAB) s++;
    if (!this.buf[s]) return undefined;
    let e = s;
    while (this.buf[e] && this.buf[e] !== SPACE && this.buf[e] !== TAB) e++;
    if (this.buf[e]) this.buf[e] = 0;
    return { start: s, end: e };
  }

  /** uci_increase_pos past the command word and its terminator. */
  skipWord(reason: string): void {
    const end = this.buf.indexOf(0, this.pos);
    const add = (end < 0 ? this.filled : end) - this.pos + 1;
    if (this.pos + add > this.filled) this.fail(reason);
    this.pos += add;
  }

  /** Returns false when the backslash ended the line and the next line was joined. */
  private backslash(): boolean {
    this.pos++;
    const c = this.cur();
    if (c === 0 || c === NL || (c === CR && this.buf[this.pos + 1] === NL && !this.buf[this.pos + 2])) {
      this.readLine(this.pos);
      return false;
    }
    return true;
  }

  private quoted(quote: number, target: { at: number }): void {
    this.pos++;
    for (;;) {
      const c = this.cur();
      if (c === quote) {
        this.pos++;
        return;
      }
      if (c === 0) {
        this.readLine(this.pos);
        if (!this.cur()) this.fail(`EOF with unterminated ${String.fromCharCode(quote)}`);
        continue;
      }
      if (c === BACKSLASH && quote === DQUOTE && !this.backslash()) continue;
      this.buf[target.at++] = this.buf[this.pos++] ?? 0;
    }
  }

  /** parse_str: one argument, unquoted/quoted parts concatenated, written back at `target`. */
  private parseStr(target: { at: number }): void {
    let next = true;
    loop: do {
      switch (this.cur()) {
        case SQUOTE:
          this.quoted(SQUOTE, target);
          break;
        case DQUOTE:
          this.quoted(DQUOTE, target);
          break;
        case HASH:
          this.buf[this.pos] = 0;
          break loop;
        case 0:
          break loop;
        case SEMI:
          next = false;
          break loop;
        case BACKSLASH:
          if (!this.backslash()) continue;
          this.buf[target.at++] = this.buf[this.pos++] ?? 0;
          break;
        default:
          this.buf[target.at++] = this.buf[this.pos++] ?? 0;
      }
    } while (this.cur() && !isSpace(this.cur()));
    if (this.cur() && next) this.pos++;
    this.buf[target.at] = 0;
  }

  /** next_arg: the offset of the next argument's string (empty at end of command). */
  nextArg(required: boolean, name: "no" | "name" | "package" = "no"): number {
    this.skipWhitespace();
    const val = this.pos;
    if (this.cur() === SEMI) {
      this.buf[this.pos++] = 0;
    } else {
      this.parseStr({ at: val });
    }
    if (!this.buf[val]) {
      if (required) this.fail("insufficient arguments");
      return val;
    }
    if (name !== "no") {
      const s = this.str(val);
      if (!(name === "package" ? isValidPackageStatement(s) : isValidName(s))) this.fail("invalid character in name field");
    }
    return val;
  }

  /** assert_eol: anything left is an error in strict mode (and ignored otherwise). */
  endOfCommand(strict: boolean): void {
    this.skipWhitespace();
    const rest = this.nextArg(false);
    if (this.buf[rest] && strict) this.fail("too many arguments");
  }

  /** uci_parse_argument on a fresh line: the line's first argument and whether more follows. */
  lineArgument(): { arg: string; rest: boolean } {
    this.pos = 0;
    this.readLine(0);
    const arg = this.str(this.nextArg(false));
    return { arg, rest: this.cur() !== 0 };
  }

  /** uci_parse_argument continuing on the current line (empty string at its end). */
  nextArgument(): string {
    return this.str(this.nextArg(false));
  }
}
