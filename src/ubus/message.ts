// ubus messages: an 8-byte header (u8 version, u8 type, u16 seq, u32 peer, big-endian) and one
// blob attribute (id 0) holding plain attributes whose type is fixed by their id.
import { BlobWriter } from "./blob-writer.ts";
import { BlobReader } from "./blobmsg-decode.ts";
import { writeTable } from "./blobmsg-encode.ts";
import type { BlobmsgTable } from "./blobmsg-types.ts";
import { BlobError } from "./errors.ts";

export const MsgType = {
  HELLO: 0,
  STATUS: 1,
  DATA: 2,
  PING: 3,
  LOOKUP: 4,
  INVOKE: 5,
  ADD_OBJECT: 6,
  REMOVE_OBJECT: 7,
  SUBSCRIBE: 8,
  UNSUBSCRIBE: 9,
  NOTIFY: 10,
  MONITOR: 11,
} as const;
export type MsgType = (typeof MsgType)[keyof typeof MsgType];

export const Attr = {
  STATUS: 1,
  OBJPATH: 2,
  OBJID: 3,
  METHOD: 4,
  OBJTYPE: 5,
  SIGNATURE: 6,
  DATA: 7,
  TARGET: 8,
  ACTIVE: 9,
  NO_REPLY: 10,
  SUBSCRIBERS: 11,
  USER: 12,
  GROUP: 13,
} as const;

/** ubusd's UBUS_MAX_MSGLEN. */
export const MAX_MESSAGE = 1024 * 1024;
export const HEADER_LEN = 8;

/** Attributes as received. DATA and SIGNATURE stay blobmsg payloads until someone wants them. */
export interface UbusAttrs {
  status?: number;
  objpath?: string;
  objid?: number;
  method?: string;
  objtype?: number;
  signature?: Buffer;
  data?: Buffer;
  target?: number;
  active?: boolean;
  noReply?: boolean;
  subscribers?: number[];
  user?: string;
  group?: string;
}

/** Attributes to send, written in the order of the object's keys (the order libubus uses matters for byte-identical traffic). */
export type OutAttrs = Omit<UbusAttrs, "data" | "signature"> & {
  data?: Uint8Array | BlobmsgTable;
  signature?: Uint8Array | BlobmsgTable;
};

export interface UbusMessage {
  type: number;
  seq: number;
  peer: number;
  attrs: UbusAttrs;
}

type Kind = "u32" | "string" | "bool" | "blobmsg" | "ids";
const KIND: Record<keyof UbusAttrs, [number, Kind]> = {
  status: [Attr.STATUS, "u32"],
  objpath: [Attr.OBJPATH, "string"],
  objid: [Attr.OBJID, "u32"],
  method: [Attr.METHOD, "string"],
  objtype: [Attr.OBJTYPE, "u32"],
  signature: [Attr.SIGNATURE, "blobmsg"],
  data: [Attr.DATA, "blobmsg"],
  target: [Attr.TARGET, "u32"],
  active: [Attr.ACTIVE, "bool"],
  noReply: [Attr.NO_REPLY, "bool"],
  subscribers: [Attr.SUBSCRIBERS, "ids"],
  user: [Attr.USER, "string"],
  group: [Attr.GROUP, "string"],
};
const BY_ID = new Map(Object.entries(KIND).map(([key, [id, kind]]) => [id, [key as keyof UbusAttrs, kind] as const]));

export function encodeMessage(type: number, seq: number, peer: number, attrs: OutAttrs): Buffer {
  const w = new BlobWriter();
  w.u8(0);
  w.u8(type);
  w.u16(seq);
  w.u32(peer >>> 0);
  const root = w.begin(0);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    const [id, kind] = KIND[key as keyof UbusAttrs];
    const at = w.begin(id);
    if (kind === "u32") w.u32((value as number) >>> 0);
    else if (kind === "string") w.cstring(value as string);
    else if (kind === "bool") w.u8(value ? 1 : 0);
    else if (kind === "ids") {
      for (const sub of value as number[]) {
        const s = w.begin(0);
        w.u32(sub >>> 0);
        w.end(s);
      }
    } else if (value instanceof Uint8Array) w.bytes(value);
    else writeTable(w, value as BlobmsgTable);
    w.end(at);
  }
  w.end(root);
  const buf = w.finish();
  if (buf.length > MAX_MESSAGE) throw new BlobError(`message of ${buf.length} bytes exceeds ${MAX_MESSAGE}`, 0);
  return buf;
}

const FIXED: Partial<Record<Kind, number>> = { u32: 4, bool: 1 };

/** One whole message (as the framer cuts them). Unknown attribute ids are skipped, as ubus does. */
export function decodeMessage(buf: Buffer): UbusMessage {
  if (buf.length < HEADER_LEN + 4) throw new BlobError("message shorter than its headers", 0);
  const rootLen = buf.readUInt32BE(HEADER_LEN) & 0xffffff;
  if (rootLen < 4 || HEADER_LEN + rootLen > buf.length) throw new BlobError(`root length ${rootLen} does not fit the message`, HEADER_LEN);
  const attrs: Record<string, unknown> = {};
  const reader = new BlobReader(buf, false);
  reader.walk(HEADER_LEN + 4, HEADER_LEN + rootLen, (pos, raw, idLen) => {
    const known = BY_ID.get((idLen >>> 24) & 0x7f);
    if (!known) return;
    const [key, kind] = known;
    const start = pos + 4;
    const end = pos + raw;
    const fixed = FIXED[kind];
    if (fixed !== undefined && end - start !== fixed) throw new BlobError(`attribute ${key} needs ${fixed} bytes, has ${end - start}`, pos);
    if (kind === "u32") attrs[key] = key === "status" ? buf.readInt32BE(start) : buf.readUInt32BE(start);
    else if (kind === "bool") attrs[key] = buf[start] !== 0;
    else if (kind === "blobmsg") attrs[key] = buf.subarray(start, end);
    else if (kind === "string") {
      if (end <= start || buf[end - 1] !== 0) throw new BlobError(`attribute ${key} is not a NUL-terminated string`, pos);
      attrs[key] = reader.cstr(start, end - 1);
    } else {
      const ids: number[] = [];
      reader.walk(start, end, (p, r) => {
        if (r !== 8) throw new BlobError("subscriber id is not 4 bytes", p);
        ids.push(buf.readUInt32BE(p + 4));
      });
      attrs[key] = ids;
    }
  });
  return { type: buf[1]!, seq: buf.readUInt16BE(2), peer: buf.readUInt32BE(4), attrs: attrs as UbusAttrs };
}

/** Cuts a byte stream into whole messages. A length that cannot be right throws: the stream is lost. */
export class MessageFramer {
  private pending: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.size += chunk.length;
    const out: Buffer[] = [];
    while (this.size >= HEADER_LEN + 4) {
      const head = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
      this.pending = [head];
      const total = HEADER_LEN + (head.readUInt32BE(HEADER_LEN) & 0xffffff);
      if (total < HEADER_LEN + 4 || total > MAX_MESSAGE) throw new BlobError(`message length ${total} is impossible`, 0);
      if (this.size < total) break;
      out.push(Buffer.from(head.subarray(0, total)));
      const rest = head.subarray(total);
      this.pending = rest.length ? [rest] : [];
      this.size = rest.length;
    }
    return out;
  }
}
