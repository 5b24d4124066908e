// fast-check: the decoders meet random and mutated buffers with a result or a BlobError, never
// another exception or a hang; typed entries survive encode -> decode.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeEntries, decodeRoot } from "../../src/ubus/blobmsg-decode.ts";
import { encodeEntries, withRoot } from "../../src/ubus/blobmsg-encode.ts";
import { type BlobmsgEntry, BlobmsgType as T } from "../../src/ubus/blobmsg-types.ts";
import { BlobError } from "../../src/ubus/errors.ts";
import { JsonTextError, parseJsonEntries } from "../../src/ubus/json-text.ts";
import { decodeMessage, encodeMessage, MessageFramer, MsgType } from "../../src/ubus/message.ts";
import { hex, vectorJson } from "./vectors.ts";

const RUNS = 10_000;

/** Runs f; anything thrown but the expected error class fails the property. */
const onlyThrows = (cls: new (...a: never[]) => Error, f: () => unknown): boolean => {
  try {
    f();
  } catch (err) {
    if (!(err instanceof cls)) throw err;
  }
  return true;
};

const decodeAll = (buf: Buffer): boolean =>
  onlyThrows(BlobError, () => decodeEntries(buf)) &&
  onlyThrows(BlobError, () => decodeEntries(buf, "libubox")) &&
  onlyThrows(BlobError, () => decodeRoot(buf)) &&
  onlyThrows(BlobError, () => decodeRoot(buf, "libubox")) &&
  onlyThrows(BlobError, () => decodeMessage(buf)) &&
  onlyThrows(BlobError, () => new MessageFramer().push(buf).map(decodeMessage));

const name = fc.string({ maxLength: 6 }).filter((s) => !s.includes("\0"));
const entry: fc.Arbitrary<BlobmsgEntry> = fc.letrec<{ e: BlobmsgEntry }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ type: fc.constant(T.UNSPEC), name }),
    fc.record({ type: fc.constant(T.STRING), name, value: fc.string({ maxLength: 20 }).filter((s) => !s.includes("\0")) }),
    fc.record({ type: fc.constant(T.INT8), name, value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ type: fc.constant(T.INT16), name, value: fc.integer({ min: -32768, max: 32767 }) }),
    fc.record({ type: fc.constant(T.INT32), name, value: fc.integer({ min: -0x80000000, max: 0x7fffffff }) }),
    fc.record({ type: fc.constant(T.INT64), name, value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) }),
    fc.record({ type: fc.constant(T.DOUBLE), name, value: fc.double() }),
    fc.record({ type: fc.constantFrom(T.ARRAY, T.TABLE), name, children: fc.array(tie("e"), { maxLength: 4 }) }),
  ) as fc.Arbitrary<BlobmsgEntry>,
})).e;

const recorded = [
  ...vectorJson<{ payload_hex?: string }[]>("blobmsg.json").flatMap((v) => (v.payload_hex ? [hex(v.payload_hex)] : [])),
  ...vectorJson<{ payload_hex: string }[]>("blobmsg-api.json").map((v) => hex(v.payload_hex)),
];

describe("fuzz (fast-check)", () => {
  it("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 96 }), (b) => decodeAll(Buffer.from(b))), { numRuns: RUNS });
  });

  it("recorded and generated buffers with bytes overwritten, truncated or extended", () => {
    const base = fc.oneof(
      fc.constantFrom(...recorded),
      fc.array(entry, { maxLength: 4 }).map((es) => encodeEntries(es)),
      fc.array(entry, { maxLength: 3 }).map((es) => encodeMessage(MsgType.INVOKE, 1, 2, { objid: 2, method: "m", data: encodeEntries(es) })),
    );
    const mutated = fc
      .tuple(base, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), fc.uint8Array({ maxLength: 8 }))
      .map(([buf, edits, cut, tail]) => {
        const b = Buffer.from(buf);
        for (const [at, v] of edits) if (b.length) b[at % b.length] = v;
        return Buffer.concat([b.subarray(0, b.length ? cut % (b.length + 1) : 0), tail]);
      });
    fc.assert(fc.property(mutated, decodeAll), { numRuns: RUNS });
  });

  it("length fields pointing anywhere (the usual way to make a parser loop)", () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 3 }), fc.nat(), fc.integer({ min: 0, max: 0xffffff }), (es, at, len) => {
        const b = withRoot(encodeEntries(es));
        const pos = (at % (b.length / 4)) * 4;
        b.writeUInt32BE(((b.readUInt32BE(pos) & 0xff000000) | len) >>> 0, pos);
        return decodeAll(b);
      }),
      { numRuns: RUNS },
    );
  });

  it("typed entries survive encode -> decode", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), (es) => {
        expect(decodeEntries(encodeEntries(es))).toEqual(es);
      }),
      { numRuns: RUNS },
    );
  });

  it("JSON text: objects parse, anything else is a JsonTextError", () => {
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ maxLength: 30 })), (text) => onlyThrows(JsonTextError, () => parseJsonEntries(text))),
      { numRuns: RUNS },
    );
  });

  it("deep nesting is an error, not a stack overflow", () => {
    let nested: BlobmsgEntry = { type: T.ARRAY, name: "", children: [] };
    for (let i = 0; i < 1000; i++) nested = { type: T.ARRAY, name: "", children: [nested] };
    expect(() => decodeEntries(encodeEntries([nested]))).toThrow(BlobError);
    expect(() => parseJsonEntries(`{"a":${"[".repeat(100_000)}`)).toThrow(JsonTextError);
  });
});
