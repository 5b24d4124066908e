// Builds blob attributes into a growing buffer, the way libubox's blob_buf does: an attribute's
// length excludes its own padding, a container's length includes its children's padding.
import { BlobError } from "./errors.ts";

export const BLOB_ATTR_EXTENDED = 0x80000000;
const LEN_MASK = 0x00ffffff;

export const align4 = (n: number): number => (n + 3) & ~3;
/** Bytes of a blobmsg name header: u16 length, name, NUL, padded to 4. */
export const blobmsgHdrLen = (nameBytes: number): number => align4(2 + nameBytes + 1);

export class BlobWriter {
  private buf: Buffer;
  private view: DataView;
  length = 0;

  // allocUnsafe: every byte up to `length` is written, padding included.
  constructor(capacity = 1024) {
    this.buf = Buffer.allocUnsafe(capacity);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Makes room for n bytes and returns where they start. Call it before touching buf/view: it may replace them. */
  private reserve(n: number): number {
    const at = this.length;
    const need = at + n;
    if (need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(next, 0, 0, at);
      this.buf = next;
      this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    }
    this.length = need;
    return at;
  }

  /**
   * Starts an attribute: a plain blob attribute (`name` undefined, as in ubus messages) or a
   * blobmsg element with its name header. Returns the start to pass to `end`.
   */
  begin(id: number, name?: string): number {
    const start = this.reserve(4);
    if (name !== undefined) {
      const nameBytes = Buffer.byteLength(name);
      const hdr = blobmsgHdrLen(nameBytes);
      const at = this.reserve(hdr);
      this.buf.fill(0, at, at + hdr);
      this.view.setUint16(at, nameBytes);
      this.buf.write(name, at + 2, "utf8");
    }
    this.view.setUint32(start, ((id & 0x7f) << 24) | (name !== undefined ? BLOB_ATTR_EXTENDED : 0));
    return start;
  }

  /** Closes the attribute opened at `start`: sets its length and zero-pads to 4 bytes. */
  end(start: number): void {
    const len = this.length - start;
    if (len > LEN_MASK) throw new BlobError(`attribute of ${len} bytes exceeds the 24-bit length`, start);
    this.view.setUint32(start, (this.view.getUint32(start) & ~LEN_MASK) | len);
    const pad = align4(len) - len;
    if (pad) {
      const at = this.reserve(pad);
      this.buf.fill(0, at, at + pad);
    }
  }

  u8(v: number): void {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
  }
  u16(v: number): void {
    const at = this.reserve(2);
    this.view.setUint16(at, v);
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v);
  }
  u64(v: bigint): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt.asUintN(64, v));
  }
  double(v: number): void {
    const at = this.reserve(8);
    this.view.setFloat64(at, v);
  }
  /** A C string: UTF-8 bytes and a NUL. */
  cstring(s: string): void {
    const n = Buffer.byteLength(s);
    const at = this.reserve(n + 1);
    this.buf.write(s, at, "utf8");
    this.buf[at + n] = 0;
  }
  bytes(b: Uint8Array): void {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
  }
  /** Overwrites a u32 already written (message headers filled in after the body). */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v);
  }
  patchU16(at: number, v: number): void {
    this.view.setUint16(at, v);
  }

  /** What was written (a view: the writer is done with it). */
  finish(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}
