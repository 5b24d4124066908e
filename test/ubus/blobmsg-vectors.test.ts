// Every vector recorded from libubox (blobmsg.json, blobmsg-api.json, blobmsg-reverse.json,
// blobmsg-long.json + the 70000-character hex): our encoder makes the same bytes, our decoder
// gives the values blobmsg_format_json printed.
import { describe, expect, it } from "vitest";
import { decodeEntries, decodeRoot, decodeTable } from "../../src/ubus/blobmsg-decode.ts";
import { encodeEntries, encodeTable, withRoot } from "../../src/ubus/blobmsg-encode.ts";
import { type BlobmsgEntry, BlobmsgType as T } from "../../src/ubus/blobmsg-types.ts";
import { BlobError } from "../../src/ubus/errors.ts";
import { JsonTextError, parseJsonEntries } from "../../src/ubus/json-text.ts";
import { entriesNode, readCJson } from "./c-json.ts";
import { hex, vectorJson, vectorText } from "./vectors.ts";

interface Decoded {
  type: string;
  name?: string;
  raw_len: number;
  value?: unknown;
  children?: Decoded[];
}
interface JsonVector {
  json: string;
  add_json_ok: boolean;
  hex?: string;
  payload_hex?: string;
  format_json?: string;
  format_json_indent?: string;
  decoded?: Decoded;
  note?: string;
}

const typeNumber = (s: string): number => Number(/\((\d+)\)/.exec(s)![1]);

/** The recorded decode tree (types, names, lengths) against ours, re-encoded per element for the lengths. */
function expectSameTree(ours: BlobmsgEntry[], theirs: Decoded[]): void {
  expect(ours.map((e) => e.type)).toEqual(theirs.map((d) => typeNumber(d.type)));
  ours.forEach((e, i) => {
    const d = theirs[i]!;
    expect(e.name).toBe(d.name ?? "");
    expect(encodeEntries([e]).length).toBe((d.raw_len + 3) & ~3);
    if ("children" in e) expectSameTree(e.children, d.children!);
  });
}

const hasWholeDouble = (entries: BlobmsgEntry[]): boolean =>
  entries.some((e) => (e.type === T.DOUBLE && Number.isSafeInteger(e.value)) || ("children" in e && hasWholeDouble(e.children)));

describe("blobmsg.json: JSON text -> blobmsg like blobmsg_add_json_from_string", () => {
  const vectors = vectorJson<JsonVector[]>("blobmsg.json");
  it("has the vectors", () => expect(vectors.length).toBe(49));

  for (const v of vectors.filter((x) => x.add_json_ok)) {
    describe(`${v.json.slice(0, 60)}${v.note ? ` (${v.note})` : ""}`, () => {
      it("encodes to the recorded bytes", () => {
        const payload = encodeEntries(parseJsonEntries(v.json));
        expect(payload.toString("hex")).toBe(v.payload_hex);
        expect(withRoot(payload).toString("hex")).toBe(v.hex);
      });
      it("decodes to what blobmsg_format_json printed, compact and indented", () => {
        const { type, entries } = decodeRoot(hex(v.hex!));
        expect(type).toBe(T.TABLE);
        expect(entriesNode(entries)).toEqual(readCJson(v.format_json!));
        expect(entriesNode(entries)).toEqual(readCJson(v.format_json_indent!));
        expectSameTree(entries, v.decoded!.children!);
      });
      it("survives decode -> JS values -> encode (unless a whole number was a double)", () => {
        const payload = hex(v.payload_hex!);
        if (hasWholeDouble(decodeEntries(payload))) {
          // 1.0, 1e3 and -0.0 are whole JS numbers: JS cannot tell them from integers.
          expect(encodeTable(decodeTable(payload)).equals(payload)).toBe(false);
        } else {
          expect(encodeTable(decodeTable(payload)).toString("hex")).toBe(v.payload_hex);
        }
      });
    });
  }

  for (const v of vectors.filter((x) => !x.add_json_ok)) {
    it(`refuses ${v.json} (${v.note})`, () => expect(() => parseJsonEntries(v.json)).toThrow(JsonTextError));
  }

  it("keeps big integers exact as bigint", () => {
    expect(decodeTable(hex("84000010000169007fffffffffffffff"))).toEqual({ i: 9223372036854775807n });
    expect(decodeTable(hex("84000010000169000020000000000001"))).toEqual({ i: 9007199254740993n });
    expect(encodeTable({ i: 9007199254740993n }).toString("hex")).toBe("84000010000169000020000000000001");
    expect(encodeTable({ i: 2n ** 70n }).toString("hex")).toBe("84000010000169007fffffffffffffff");
  });
});

describe("blobmsg-api.json: buffers built with explicit blobmsg_add_* calls", () => {
  const vectors = vectorJson<{ hex: string; payload_hex: string; format_json: string; format_json_indent: string; api: string }[]>("blobmsg-api.json");
  const e = <X extends BlobmsgEntry>(x: X): X => x;
  const built: [BlobmsgEntry[], number?][] = [
    [[e({ type: T.INT8, name: "v", value: 1 })]],
    [[e({ type: T.INT8, name: "v", value: 0 })]],
    [[e({ type: T.INT8, name: "v", value: 200 })]],
    [[e({ type: T.INT16, name: "v", value: 0x1234 })]],
    [[e({ type: T.INT16, name: "v", value: 65535 })]],
    [[e({ type: T.INT32, name: "v", value: 0xdeadbeef })]],
    [[e({ type: T.INT64, name: "v", value: 1n })]],
    [[e({ type: T.INT64, name: "v", value: 2n ** 64n - 1n })]],
    [[e({ type: T.DOUBLE, name: "v", value: 0.1 })]],
    [[e({ type: T.DOUBLE, name: "v", value: -2.5e-10 })]],
    [[e({ type: T.DOUBLE, name: "v", value: 1e300 })]],
    [[e({ type: T.DOUBLE, name: "v", value: hex("fff8000000000000").readDoubleBE(0) })]],
    [[e({ type: T.DOUBLE, name: "v", value: Number.POSITIVE_INFINITY })]],
    [[e({ type: T.UNSPEC, name: "v" })]],
    [[e({ type: T.STRING, name: "", value: "unnamed" })]],
    [[e({ type: T.STRING, name: "a", value: "" })]],
    [[e({ type: T.STRING, name: "ab", value: "x" })]],
    [[e({ type: T.STRING, name: "abc", value: "x" })]],
    [[e({ type: T.STRING, name: "abcd", value: "xyz" })]],
    [[e({ type: T.STRING, name: "s", value: 'ctl\x01\x1f"\\/\b\n\r\t\x7f' })]],
    [
      [
        e({
          type: T.ARRAY,
          name: "arr",
          children: [e({ type: T.INT32, name: "x", value: 1 }), e({ type: T.STRING, name: "y", value: "z" })],
        }),
      ],
    ],
    [[e({ type: T.TABLE, name: "t", children: [e({ type: T.ARRAY, name: "a", children: [e({ type: T.TABLE, name: "", children: [] })] })] })]],
    [[e({ type: T.INT32, name: "k", value: 1 }), e({ type: T.INT32, name: "k", value: 2 })]],
    [[e({ type: T.INT32, name: "", value: 7 }), e({ type: T.STRING, name: "", value: "s" })], T.ARRAY],
  ];
  it("has the vectors", () => expect(vectors.length).toBe(built.length));

  vectors.forEach((v, i) => {
    const [entries, root] = built[i]!;
    it(`${v.api}`, () => {
      const rootType = root === T.ARRAY ? T.ARRAY : T.TABLE;
      expect(withRoot(encodeEntries(entries), rootType).toString("hex")).toBe(v.hex);
      const decoded = decodeRoot(hex(v.hex));
      expect(decoded.type).toBe(rootType);
      expect(entriesNode(decoded.entries)).toEqual(readCJson(v.format_json));
      expect(entriesNode(decoded.entries)).toEqual(readCJson(v.format_json_indent));
    });
  });
});

describe("blobmsg-reverse.json: hand-made buffers, malformed ones included", () => {
  const vectors = vectorJson<{ hex: string; note: string; format_json: string }[]>("blobmsg-reverse.json");
  for (const v of vectors) {
    it(v.note, () => {
      const lenient = decodeRoot(hex(v.hex), "libubox").entries;
      expect(entriesNode(lenient)).toEqual(readCJson(v.format_json));
      if (/rejected/.test(v.note)) expect(() => decodeRoot(hex(v.hex))).toThrow(BlobError);
      else expect(decodeRoot(hex(v.hex)).entries).toEqual(lenient);
    });
  }
});

describe("blobmsg-long.json: strings past 64 KiB", () => {
  const vectors = vectorJson<
    { json_desc: string; root_raw_len: number; head_hex_first_20_bytes: string; tail_hex_last_8_bytes: string; format_json_roundtrip_equal: boolean }[]
  >("blobmsg-long.json");
  const long = (n: number): string => Array.from({ length: n }, (_, j) => String.fromCharCode(97 + (j % 26))).join("");

  for (const v of vectors) {
    const n = Number(/<(\d+) chars/.exec(v.json_desc)![1]);
    it(`${n} characters`, () => {
      const s = long(n);
      const buf = withRoot(encodeTable({ s }));
      expect(buf.readUInt32BE(0) & 0xffffff).toBe(v.root_raw_len);
      expect(buf.subarray(0, 20).toString("hex")).toBe(v.head_hex_first_20_bytes);
      expect(buf.subarray(buf.length - 8).toString("hex")).toBe(v.tail_hex_last_8_bytes);
      expect(withRoot(encodeEntries(parseJsonEntries(JSON.stringify({ s })))).equals(buf)).toBe(true);
      expect(decodeTable(buf.subarray(4))).toEqual({ s });
    });
  }

  it("70000 characters: every byte of blobmsg-long-70000.hex", () => {
    const recorded = hex(vectorText("blobmsg-long-70000.hex"));
    expect(withRoot(encodeTable({ s: long(70000) })).equals(recorded)).toBe(true);
  });
});
