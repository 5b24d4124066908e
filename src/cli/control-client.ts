// Talks to the daemon's control socket: HTTP over a unix socket, the same routes as the web
// API (the socket is root-only, so it needs no login).
import { request } from "node:http";

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

export class ControlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function callControl(socketPath: string, name: string, input: unknown = {}): Promise<unknown> {
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, path: `/api/v1/${name}`, method: "POST", headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            reject(new ControlError("bad_reply", `the daemon answered ${res.statusCode} with something that is not JSON`));
            return;
          }
          if ((res.statusCode ?? 500) >= 400) {
            const e = (parsed as ApiErrorBody).error;
            reject(new ControlError(e?.code ?? "error", e?.message ?? `HTTP ${res.statusCode}`, e?.field));
          } else resolve(parsed);
        });
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) =>
      reject(new ControlError("unreachable", `cannot reach the daemon at ${socketPath}: ${err.code ?? err.message} (is enigm-vpnd running, and are you root?)`)),
    );
    req.end(body);
  });
}
