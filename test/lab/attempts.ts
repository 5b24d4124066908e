// What a LAN client tries in the leak scenarios (tests and bench): every way out it has.
import type { Reply, Request } from "./agent.ts";
import { ADDR, type Agent, PROBE_NAME } from "./topology.ts";

export const ATTEMPT_WINDOW_MS = 3000;

/** Everything a LAN client might try to reach the WAN with, bypassing the tunnel if it could. */
const LEAK_ATTEMPTS: Request[] = [
  { op: "http", url: `http://${ADDR.web4}/`, timeoutMs: 500 },
  { op: "tcp", host: ADDR.web4, port: 443, timeoutMs: 500 },
  { op: "udp", host: ADDR.web4, port: 4500 },
  { op: "ping", host: ADDR.web4, timeoutMs: 1000 },
  { op: "dns", server: ADDR.publicDns4, name: PROBE_NAME, type: "A", timeoutMs: 500 },
  { op: "dns", server: ADDR.publicDns4, name: PROBE_NAME, type: "A", timeoutMs: 500, tcp: true },
  { op: "tcp", host: ADDR.publicDns4, port: 853, timeoutMs: 500 },
  { op: "http", url: `http://[${ADDR.web6}]/`, timeoutMs: 500 },
  { op: "ping", host: ADDR.web6, timeoutMs: 1000 },
  { op: "dns", server: ADDR.publicDns6, name: PROBE_NAME, type: "AAAA", timeoutMs: 500 },
  { op: "udp", host: ADDR.web6, port: 4500 },
];

/** Run every attempt from both clients over and over for `ms`; returns the ones that got an answer. */
export async function attempt(clients: Agent[], ms: number): Promise<{ total: number; answered: string[] }> {
  const end = Date.now() + ms;
  let total = 0;
  const answered: string[] = [];
  await Promise.all(
    clients.flatMap((c) =>
      LEAK_ATTEMPTS.map(async (req) => {
        while (Date.now() < end) {
          const r = await c.ask(req);
          total++;
          if (r.ok && req.op !== "udp") answered.push(`${JSON.stringify(req)} -> ${r.value}`);
          if (req.op === "udp" || r.ok) await new Promise((res) => setTimeout(res, 100));
        }
      }),
    ),
  );
  return { total, answered };
}

export async function until(what: string, fn: () => Promise<Reply>, ms = 8000): Promise<Reply> {
  const end = Date.now() + ms;
  let r: Reply = { ok: false, error: "not tried" };
  while (Date.now() < end) {
    r = await fn();
    if (r.ok) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${what}: ${r.ok ? "" : r.error}`);
}
