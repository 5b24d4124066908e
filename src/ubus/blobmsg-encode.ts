// JS values and typed entries -> blobmsg bytes. The type choices for JS values follow what
// libubox's blobmsg_add_json_element picks for the same JSON.
import { BlobWriter } from "./blob-writer.ts";
import { type BlobmsgEntry, type BlobmsgTable, BlobmsgType, type BlobmsgValue } from "./blobmsg-types.ts";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
export const clampInt64 = (v: bigint): bigint => (v < INT64_MIN ? INT64_MIN : v > INT64_MAX ? INT64_MAX : v);
const isInt32 = (v: number): boolean => Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff;

/**
 * One element from a JS value: booleans are INT8, integers in int32 range INT32, other safe
 * integers and bigints INT64 (bigints clamped like json-c), any other number DOUBLE, null and
 * undefined UNSPEC, arrays ARRAY, plain objects TABLE.
 */
export function writeValue(w: BlobWriter, name: string, v: BlobmsgValue | undefined): void {
  let at: number;
  switch (typeof v) {
    case "string":
      at = w.begin(BlobmsgType.STRING, name);
      w.cstring(v);
      break;
    case "boolean":
      at = w.begin(BlobmsgType.INT8, name);
      w.u8(v ? 1 : 0);
      break;
    case "number":
      if (isInt32(v)) {
        at = w.begin(BlobmsgType.INT32, name);
        w.u32(v);
      } else if (Number.isSafeInteger(v)) {
        at = w.begin(BlobmsgType.INT64, name);
        w.u64(BigInt(v));
      } else {
        at = w.begin(BlobmsgType.DOUBLE, name);
        w.double(v);
      }
      break;
    case "bigint":
      at = w.begin(BlobmsgType.INT64, name);
      w.u64(clampInt64(v));
      break;
    case "undefined":
      at = w.begin(BlobmsgType.UNSPEC, name);
      break;
    case "object":
      if (v === null) {
        at = w.begin(BlobmsgType.UNSPEC, name);
      } else if (Array.isArray(v)) {
        at = w.begin(BlobmsgType.ARRAY, name);
        for (const item of v) writeValue(w, "", item);
      } else {
        at = w.begin(BlobmsgType.TABLE, name);
        writeTable(w, v);
      }
      break;
    default:
      throw new TypeError(`cannot encode a ${typeof v} as blobmsg (field "${name}")`);
  }
  w.end(at);
}

/** The fields of a table; properties that are undefined are left out, as JSON.stringify does. */
export function writeTable(w: BlobWriter, table: BlobmsgTable | Record<string, BlobmsgValue | undefined>): void {
  for (const key of Object.keys(table)) {
    const v = table[key];
    if (v !== undefined) writeValue(w, key, v);
  }
}

export function writeEntries(w: BlobWriter, entries: readonly BlobmsgEntry[]): void {
  for (const e of entries) {
    const at = w.begin(e.type, e.name);
    switch (e.type) {
      case BlobmsgType.UNSPEC:
        break;
      case BlobmsgType.ARRAY:
      case BlobmsgType.TABLE:
        writeEntries(w, e.children);
        break;
      case BlobmsgType.STRING:
        w.cstring(e.value);
        break;
      case BlobmsgType.INT64:
        w.u64(e.value);
        break;
      case BlobmsgType.INT32:
        w.u32(e.value >>> 0);
        break;
      case BlobmsgType.INT16:
        w.u16(e.value & 0xffff);
        break;
      case BlobmsgType.INT8:
        w.u8(e.value & 0xff);
        break;
      case BlobmsgType.DOUBLE:
        w.double(e.value);
        break;
    }
    w.end(at);
  }
}

/** A table's blobmsg payload: what ubus carries in UBUS_ATTR_DATA. */
export function encodeTable(table: BlobmsgTable): Buffer {
  const w = new BlobWriter();
  writeTable(w, table);
  return w.finish();
}

export function encodeEntries(entries: readonly BlobmsgEntry[]): Buffer {
  const w = new BlobWriter();
  writeEntries(w, entries);
  return w.finish();
}

/** A payload wrapped in its root attribute (plain, id = TABLE or ARRAY), as blob_buf_init makes it. */
export function withRoot(payload: Uint8Array, rootType: typeof BlobmsgType.TABLE | typeof BlobmsgType.ARRAY = BlobmsgType.TABLE): Buffer {
  const w = new BlobWriter(payload.length + 4);
  const at = w.begin(rootType);
  w.bytes(payload);
  w.end(at);
  return w.finish();
}
