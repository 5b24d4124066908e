// Runs inside one lab namespace (`ip netns exec NS node --import tsx agent.ts`) and does what
// the test asks, one JSON request per stdin line, one JSON answer per stdout line: HTTP fetches,
// TCP/UDP attempts, DNS queries, pings, and (on the WAN side) a web server that tells each
// client which source address it saw.
import { execFile } from "node:child_process";
import { createSocket } from "node:dgram";
import { createServer, get } from "node:http";
import { connect, createServer as createNetServer, isIP } from "node:net";
import { createInterface } from "node:readline";

export type Request =
  | { op: "http"; url: string; timeoutMs: number }
  | { op: "tcp"; host: string; port: number; timeoutMs: number }
  | { op: "udp"; host: string; port: number }
  | { op: "dns"; server: string; name: string; type: "A" | "AAAA"; timeoutMs: number; tcp?: boolean }
  | { op: "ping"; host: string; timeoutMs: number }
  | { op: "serve"; hosts: string[]; port: number }
  | { op: "forward"; unixPath: string; port: number };

export type Reply = { ok: true; value: string } | { ok: false; error: string };

function withTimeout<T>(ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms))]);
}

/** A fresh connection every time: a kept-alive one would outlive the rules under test. */
function http(url: string, timeoutMs: number): Promise<string> {
  return withTimeout(
    timeoutMs,
    new Promise((resolve, reject) => {
      get(url, { agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (d: string) => (body += d));
        res.on("end", () => resolve(`${res.statusCode} ${body}`));
        res.on("error", reject);
      }).on("error", reject);
    }),
  );
}

function tcp(host: string, port: number, timeoutMs: number): Promise<string> {
  return withTimeout(
    timeoutMs,
    new Promise((resolve, reject) => {
      const s = connect({ host, port });
      s.on("connect", () => {
        s.destroy();
        resolve("connected");
      });
      s.on("error", reject);
    }),
  );
}

function udp(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createSocket(isIP(host) === 6 ? "udp6" : "udp4");
    s.send(Buffer.from("enigm-vpn lab probe"), port, host, (err) => {
      s.close();
      if (err) reject(err);
      else resolve("sent");
    });
  });
}

function dnsQuery(name: string, type: "A" | "AAAA"): Buffer {
  const id = Math.floor(Math.random() * 65536);
  const header = Buffer.from([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  const labels = name.split(".").flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, type === "A" ? 1 : 28, 0, 1])]);
}

/** The first A/AAAA answer of a DNS response, as text. */
function dnsAnswer(msg: Buffer): string {
  const rcode = msg[3]! & 15;
  if (rcode !== 0) throw new Error(`rcode ${rcode}`);
  let off = 12;
  const skipName = () => {
    while (msg[off] !== 0) {
      if ((msg[off]! & 0xc0) === 0xc0) {
        off += 2;
        return;
      }
      off += msg[off]! + 1;
    }
    off += 1;
  };
  skipName();
  off += 4;
  for (let n = msg.readUInt16BE(6); n > 0; n--) {
    skipName();
    const type = msg.readUInt16BE(off);
    const len = msg.readUInt16BE(off + 8);
    const data = msg.subarray(off + 10, off + 10 + len);
    off += 10 + len;
    if (type === 1) return [...data].join(".");
    if (type === 28) return Array.from({ length: 8 }, (_, i) => data.readUInt16BE(i * 2).toString(16)).join(":");
  }
  throw new Error("no address in the answer");
}

function dns(server: string, name: string, type: "A" | "AAAA", timeoutMs: number, overTcp: boolean): Promise<string> {
  const query = dnsQuery(name, type);
  return withTimeout(
    timeoutMs,
    new Promise((resolve, reject) => {
      if (overTcp) {
        const s = connect({ host: server, port: 53 });
        const len = Buffer.alloc(2);
        len.writeUInt16BE(query.length);
        let buf = Buffer.alloc(0);
        s.on("connect", () => s.write(Buffer.concat([len, query])));
        s.on("data", (d) => {
          buf = Buffer.concat([buf, d]);
          if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
            s.destroy();
            try {
              resolve(dnsAnswer(buf.subarray(2)));
            } catch (err) {
              reject(err);
            }
          }
        });
        s.on("error", reject);
        return;
      }
      const s = createSocket(isIP(server) === 6 ? "udp6" : "udp4");
      s.on("message", (msg) => {
        s.close();
        try {
          resolve(dnsAnswer(msg));
        } catch (err) {
          reject(err);
        }
      });
      s.on("error", reject);
      s.send(query, 53, server);
    }),
  );
}

function ping(host: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("ping", ["-c", "1", "-W", String(Math.max(1, Math.round(timeoutMs / 1000))), host], (err, stdout) => (err ? reject(new Error(`ping ${host} failed`)) : resolve(stdout.split("\n")[1] ?? "")));
  });
}

function serve(hosts: string[], port: number): Promise<string> {
  return Promise.all(
    hosts.map(
      (host) =>
        new Promise<void>((resolve, reject) => {
          const server = createServer((req, res) => res.end(`hello ${req.socket.remoteAddress}`));
          server.on("error", reject);
          server.listen(port, host, resolve);
        }),
    ),
  ).then(() => "listening");
}

/** Unix-socket paths cross namespaces: this lets the host reach a port that exists only in here. */
function forward(unixPath: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createNetServer((client) => {
      const upstream = connect({ host: "127.0.0.1", port });
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    server.on("error", reject);
    server.listen(unixPath, () => resolve("forwarding"));
  });
}

function handle(r: Request): Promise<string> {
  switch (r.op) {
    case "http":
      return http(r.url, r.timeoutMs);
    case "tcp":
      return tcp(r.host, r.port, r.timeoutMs);
    case "udp":
      return udp(r.host, r.port);
    case "dns":
      return dns(r.server, r.name, r.type, r.timeoutMs, r.tcp ?? false);
    case "ping":
      return ping(r.host, r.timeoutMs);
    case "serve":
      return serve(r.hosts, r.port);
    case "forward":
      return forward(r.unixPath, r.port);
  }
}

if (process.argv[1]?.endsWith("agent.ts")) {
  createInterface({ input: process.stdin }).on("line", (line) => {
    const { id, req } = JSON.parse(line) as { id: number; req: Request };
    handle(req).then(
      (value) => process.stdout.write(`${JSON.stringify({ id, reply: { ok: true, value } })}\n`),
      (err: Error) => process.stdout.write(`${JSON.stringify({ id, reply: { ok: false, error: err.message } })}\n`),
    );
  });
  process.stdout.write(`${JSON.stringify({ id: 0, reply: { ok: true, value: "ready" } })}\n`);
}
