// blobmsg bytes -> typed entries -> JS values, with the checks of libubox's
// blobmsg_check_attr_len. "strict" throws BlobError on anything malformed; "libubox" does what
// blobmsg_format_json does: drops an element that fails the checks and stops a list at a length
// that runs past its parent.
import { align4, BLOB_ATTR_EXTENDED, blobmsgHdrLen } from "./blob-writer.ts";
import { BLOBMSG_TYPE_LAST, type BlobmsgEntry, type BlobmsgTable, BlobmsgType, type BlobmsgValue } from "./blobmsg-types.ts";
import { BlobError } from "./errors.ts";

export type DecodeMode = "strict" | "libubox";
/** json-c refuses JSON nested deeper than 32, so real ubus data stays far below this. */
const MAX_DEPTH = 64;

const FIXED_LEN: Partial<Record<number, number>> = {
  [BlobmsgType.INT8]: 1,
  [BlobmsgType.INT16]: 2,
  [BlobmsgType.INT32]: 4,
  [BlobmsgType.INT64]: 8,
};

export class BlobReader {
  readonly buf: Buffer;
  readonly view: DataView;
  constructor(
    bytes: Uint8Array,
    readonly lenient: boolean,
  ) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Returns undefined for a rejected element in libubox mode; throws in strict mode. */
  reject(why: string, at: number): undefined {
    if (this.lenient) return undefined;
    throw new BlobError(why, at);
  }

  cstr(start: number, end: number): string {
    const nul = this.buf.indexOf(0, start);
    return this.buf.toString("utf8", start, nul >= 0 && nul < end ? nul : end);
  }

  /**
   * Visits the attributes between start and end. Stops, like libubox's __blob_for_each_attr,
   * at a length that does not fit; strict mode throws there instead.
   */
  walk(start: number, end: number, visit: (pos: number, raw: number, idLen: number) => void): void {
    let pos = start;
    while (pos < end) {
      const rem = end - pos;
      if (rem < 4) {
        this.reject(`${rem} stray bytes after the last attribute`, pos);
        return;
      }
      const idLen = this.view.getUint32(pos);
      const raw = idLen & 0xffffff;
      const padded = align4(raw);
      if (padded < 4 || padded > rem) {
        this.reject(`attribute length ${raw} does not fit the ${rem} bytes left`, pos);
        return;
      }
      visit(pos, raw, idLen);
      pos += padded;
    }
  }

  list(start: number, end: number, depth: number): BlobmsgEntry[] {
    if (depth > MAX_DEPTH) throw new BlobError(`nesting deeper than ${MAX_DEPTH}`, start);
    const out: BlobmsgEntry[] = [];
    this.walk(start, end, (pos, raw, idLen) => {
      const entry = this.element(pos, raw, idLen, depth);
      if (entry) out.push(entry);
    });
    return out;
  }

  private element(pos: number, raw: number, idLen: number, depth: number): BlobmsgEntry | undefined {
    if (raw < 6) return this.reject(`element length ${raw} is shorter than its headers`, pos);
    if (!(idLen & BLOB_ATTR_EXTENDED)) return this.reject("element without the extended (name) header", pos);
    const nameLen = this.view.getUint16(pos + 4);
    if (6 + nameLen >= raw || this.buf[pos + 6 + nameLen] !== 0) return this.reject(`name of ${nameLen} bytes overruns the element`, pos);
    const dataStart = pos + 4 + blobmsgHdrLen(nameLen);
    const end = pos + raw;
    if (dataStart > end) return this.reject("name header overruns the element", pos);
    const type = (idLen >>> 24) & 0x7f;
    if (type > BLOBMSG_TYPE_LAST) return this.reject(`unknown blobmsg type ${type}`, pos);
    const name = this.cstr(pos + 6, pos + 6 + nameLen);
    const len = end - dataStart;
    const fixed = FIXED_LEN[type];
    if (fixed !== undefined && len !== fixed) return this.reject(`type ${type} needs ${fixed} data bytes, has ${len}`, pos);
    const v = this.view;
    switch (type) {
      case BlobmsgType.UNSPEC:
        return { type, name };
      case BlobmsgType.ARRAY:
      case BlobmsgType.TABLE:
        return { type, name, children: this.list(dataStart, end, depth + 1) };
      case BlobmsgType.STRING:
        if (len < 1 || this.buf[end - 1] !== 0) return this.reject("string without its NUL terminator", pos);
        return { type, name, value: this.cstr(dataStart, end) };
      case BlobmsgType.INT64:
        return { type, name, value: v.getBigInt64(dataStart) };
      case BlobmsgType.INT32:
        return { type, name, value: v.getInt32(dataStart) };
      case BlobmsgType.INT16:
        return { type, name, value: v.getInt16(dataStart) };
      case BlobmsgType.INT8:
        return { type, name, value: v.getUint8(dataStart) };
      default:
        if (len < 8) return this.reject(`double needs 8 data bytes, has ${len}`, pos);
        return { type: BlobmsgType.DOUBLE, name, value: v.getFloat64(dataStart) };
    }
  }
}

/** The elements of a blobmsg payload (the content of a table or array, no root attribute). */
export function decodeEntries(payload: Uint8Array, mode: DecodeMode = "strict"): BlobmsgEntry[] {
  return new BlobReader(payload, mode === "libubox").list(0, payload.byteLength, 0);
}

/** A buffer that starts with its root attribute, as blob_buf holds it. */
export function decodeRoot(buf: Uint8Array, mode: DecodeMode = "strict"): { type: number; entries: BlobmsgEntry[] } {
  if (buf.byteLength < 4) throw new BlobError("no root attribute", 0);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const idLen = view.getUint32(0);
  const raw = idLen & 0xffffff;
  if (raw < 4 || raw > buf.byteLength) throw new BlobError(`root length ${raw} does not fit ${buf.byteLength} bytes`, 0);
  return { type: (idLen >>> 24) & 0x7f, entries: new BlobReader(buf, mode === "libubox").list(4, raw, 0) };
}

/** A value the way blobmsg_format_json prints it: INT8 as a boolean, integers signed. */
export function entryValue(e: BlobmsgEntry): BlobmsgValue {
  switch (e.type) {
    case BlobmsgType.UNSPEC:
      return null;
    case BlobmsgType.INT8:
      return e.value !== 0;
    case BlobmsgType.INT64:
      return e.value >= BigInt(Number.MIN_SAFE_INTEGER) && e.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(e.value) : e.value;
    case BlobmsgType.ARRAY:
      return e.children.map(entryValue);
    case BlobmsgType.TABLE:
      return entriesTable(e.children);
    default:
      return e.value;
  }
}

/** Elements as a table: names are keys (a later duplicate wins), array names are ignored. */
export function entriesTable(entries: readonly BlobmsgEntry[]): BlobmsgTable {
  const out: BlobmsgTable = {};
  for (const e of entries) {
    if (e.name === "__proto__") Object.defineProperty(out, e.name, { value: entryValue(e), enumerable: true, writable: true, configurable: true });
    else out[e.name] = entryValue(e);
  }
  return out;
}

/** A UBUS_ATTR_DATA payload as a JS table. */
export function decodeTable(payload: Uint8Array, mode: DecodeMode = "strict"): BlobmsgTable {
  return entriesTable(decodeEntries(payload, mode));
}
