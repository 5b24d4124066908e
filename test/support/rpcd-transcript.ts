// Reads ../shared/vectors/openwrt/rpcd-uci-session.txt: each `$ ubus call OBJ METHOD 'ARGS'`
// with the JSON the real rpcd answered and the CLI's exit code.
import { readFileSync } from "node:fs";

export interface RecordedCall {
  object: string;
  method: string;
  args: Record<string, unknown>;
  reply: Record<string, unknown> | undefined;
  exit: number;
}

export const VECTORS = "../shared/vectors/openwrt";

export function rpcdCalls(): RecordedCall[] {
  const text = readFileSync(`${VECTORS}/rpcd-uci-session.txt`, "utf8");
  const calls: RecordedCall[] = [];
  for (const block of text.split(/^\$ /m).slice(1)) {
    const m = /^ubus call (\S+) (\S+) '(.*)'\n([\s\S]*?)\[exit (\d+)\]/.exec(block);
    if (!m) continue;
    const body = m[4]!.trim();
    calls.push({ object: m[1]!, method: m[2]!, args: JSON.parse(m[3]!), reply: body ? JSON.parse(body) : undefined, exit: Number(m[5]) });
  }
  return calls;
}

export function recorded(object: string, method: string): RecordedCall {
  const call = rpcdCalls().find((c) => c.object === object && c.method === method);
  if (!call) throw new Error(`no recorded ${object} ${method}`);
  return call;
}
