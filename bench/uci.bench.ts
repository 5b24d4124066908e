// Parse throughput of the UCI parser on a generated 1 MB config with a realistic mix:
// named and anonymous sections, options, lists, quoting and escapes.
import { parseUci } from "../src/uci/parse.ts";
import { median } from "./support.ts";

const RUNS = 9;
const TARGET_BYTES = 1 << 20;

function generate(): Uint8Array {
  const chunks: string[] = [];
  let size = 0;
  for (let i = 0; size < TARGET_BYTES; i++) {
    const chunk =
      i % 3 === 0
        ? `config rule\n\toption name 'Allow-${i}'\n\toption src 'wan'\n\toption proto 'udp'\n\toption dest_port '${i % 65535}'\n\toption target 'ACCEPT'\n\n`
        : `config interface 'if${i}'\n\toption device "eth${i}"\n\toption proto static\n\toption ipaddr '10.${i % 256}.0.1'\n\tlist dns '1.1.1.1'\n\tlist dns '9.9.9.9'\n\toption note 'it'\\''s # ok; "q"'\n\n`;
    chunks.push(chunk);
    size += chunk.length;
  }
  return new TextEncoder().encode(chunks.join(""));
}

export default async function () {
  const input = generate();
  parseUci(input, "bench");
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    parseUci(input, "bench");
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(input.length / (1 << 20) / seconds);
  }
  return { uci_parse_mb_per_s: Math.round(median(rates) * 10) / 10 };
}
