// The annotated transcripts (ubus-session-*.txt): each message's hexdump is what the matching
// ubus-raw connection carried, and our decoder reads its header and top-level attributes as
// annotated (type, seq, peer, attribute ids in order, values); DATA and SIGNATURE decode strictly.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeTable } from "../../src/ubus/blobmsg-decode.ts";
import { Attr, decodeMessage, MessageFramer } from "../../src/ubus/message.ts";
import { loadConn } from "./replay.ts";
import { hex, VECTORS, vectorText } from "./vectors.ts";

const SCENARIO: Record<string, string> = { "rpcd-login": "rpcd-session" };
const ATTR_KEY = new Map<number, string>([
  [Attr.STATUS, "status"],
  [Attr.OBJPATH, "objpath"],
  [Attr.OBJID, "objid"],
  [Attr.METHOD, "method"],
  [Attr.OBJTYPE, "objtype"],
  [Attr.SIGNATURE, "signature"],
  [Attr.DATA, "data"],
  [Attr.TARGET, "target"],
  [Attr.ACTIVE, "active"],
  [Attr.NO_REPLY, "noReply"],
  [Attr.SUBSCRIBERS, "subscribers"],
  [Attr.USER, "user"],
  [Attr.GROUP, "group"],
]);

interface Annotated {
  conn: number;
  dir: string;
  bytes: Buffer;
  header: { type: number; seq: number; peer: number };
  attrs: { id: number; value?: string }[];
}

function parseTranscript(text: string): Annotated[] {
  const out: Annotated[] = [];
  let conn = 0;
  for (const block of text.split(/\n(?=\S)/)) {
    const c = /== connection .* \(conn-(\d+)\.jsonl\)/.exec(block);
    if (c) conn = Number(c[1]);
    const head = /\] (S>C|C>S) .*\((\d+) bytes\)\n\s+header: version=0 type=(\d+)\(\w+\) seq=(\d+) peer=0x([0-9a-f]+)/.exec(block);
    if (!head) continue;
    const dump = [...block.matchAll(/^ {4}[0-9a-f]{4} {2}((?:[0-9a-f]{2} ?)+)/gm)].map((m) => m[1]!).join("");
    const attrs = [...block.matchAll(/^ {4}([A-Z_]+)\((\d+)\) len=\d+(?: = (.*)| .*)?$/gm)].map((m) => ({ id: Number(m[2]), value: m[3] }));
    out.push({ conn, dir: head[1]!, bytes: hex(dump), header: { type: Number(head[3]), seq: Number(head[4]), peer: Number.parseInt(head[5]!, 16) }, attrs });
    expect(out.at(-1)!.bytes.length).toBe(Number(head[2]));
  }
  return out;
}

const transcripts = readdirSync(VECTORS).filter((f) => /^ubus-session-.*\.txt$/.test(f));

describe("ubus-session-*.txt", () => {
  it("finds the nine transcripts", () => expect(transcripts).toHaveLength(9));

  for (const file of transcripts) {
    it(file, () => {
      const name = /^ubus-session-(.*)\.txt$/.exec(file)![1]!;
      const messages = parseTranscript(vectorText(file));
      expect(messages.length).toBeGreaterThan(0);
      for (const conn of new Set(messages.map((m) => m.conn))) {
        const raw = loadConn(SCENARIO[name] ?? name, conn);
        for (const dir of ["S>C", "C>S"]) {
          const recorded = Buffer.concat(raw.filter((r) => r.dir === dir && r.hex).map((r) => hex(r.hex!)));
          const annotated = messages.filter((m) => m.conn === conn && m.dir === dir);
          expect(new MessageFramer().push(recorded).map((b) => b.toString("hex"))).toEqual(annotated.map((m) => m.bytes.toString("hex")));
        }
      }
      for (const m of messages) {
        const msg = decodeMessage(m.bytes);
        expect({ type: msg.type, seq: msg.seq, peer: msg.peer }).toEqual(m.header);
        expect(Object.keys(msg.attrs)).toEqual(m.attrs.map((a) => ATTR_KEY.get(a.id)));
        for (const a of m.attrs) {
          const v = msg.attrs[ATTR_KEY.get(a.id) as keyof typeof msg.attrs];
          if (a.value?.startsWith('"')) expect(JSON.stringify(v)).toBe(a.value);
          else if (a.value?.startsWith("0x")) expect(v).toBe(Number.parseInt(a.value, 16));
          else if (a.id === Attr.STATUS) expect(v).toBe(Number.parseInt(a.value!, 10));
        }
        if (msg.attrs.data) decodeTable(msg.attrs.data);
        if (msg.attrs.signature) decodeTable(msg.attrs.signature);
      }
    });
  }
});
