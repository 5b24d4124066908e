// The hono app: JSON API generated from the operation table, login, live status events and
// the static UI. The same app serves the control socket, where every caller is root.
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { streamSSE } from "hono/streaming";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as v from "valibot";
import { invoke } from "../api/invoke.ts";
import { type Caller, operations } from "../api/operations.ts";
import { ApiError, type ErrorCode } from "../core/errors.ts";
import type { Permission } from "../core/policy.ts";
import { parseOrThrow } from "../core/schema.ts";
import type { VpnService } from "../service/vpn-service.ts";
import { type Authenticate, type Authorize, type Session, Sessions, sameSecret } from "./auth.ts";

export interface AppOptions {
  service: VpnService;
  /** "control": the root-only unix socket, no login; "web": the LAN-facing server. */
  mode: "web" | "control";
  sessions?: Sessions;
  /** Checks a login; the default checks the config's password hash. OpenWrt passes rpcd's. */
  authenticate?: Authenticate;
  /** Checks each operation of a login that has a `ref` (OpenWrt: rpcd ACLs). */
  authorize?: Authorize;
  /** Serves the UI's static files; absent in tests that only need the API. */
  staticFiles?: (path: string) => Promise<{ body: Uint8Array; type: string } | null>;
  /** Interval of the status events' counter refresh. */
  eventEveryMs?: number;
  /** Address of the peer, for login backoff; node-server's conninfo in production. */
  clientAddress?: (c: Context) => string;
}

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  policy_refused: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
  apply_failed: 500,
};

const COOKIE = "enigm_session";
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS: [string, string][] = [
  ["Content-Security-Policy", CSP],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
];

type Env = { Variables: { caller: Caller; session: Session | null } };

const loginBody = v.strictObject({ username: v.optional(v.string()), password: v.pipe(v.string("must be a string"), v.maxLength(256, "is too long")) });
const setupBody = v.strictObject({ code: v.string("must be a string"), password: v.pipe(v.string("must be a string"), v.maxLength(256, "is too long")) });

export const MAX_BODY_BYTES = 256 * 1024;

/** Reads at most MAX_BODY_BYTES, stopping as soon as a body is larger (no unbounded buffering). */
async function readCapped(req: Request): Promise<string> {
  const tooLarge = () => new ApiError("invalid_input", `body: larger than ${MAX_BODY_BYTES / 1024} KiB`, "body");
  if (Number(req.headers.get("Content-Length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  if (!req.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function jsonBody(req: Request): Promise<unknown> {
  const text = await readCapped(req);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_input", "body: is not valid JSON", "body");
  }
}

export function createApp(opts: AppOptions): Hono<Env> {
  const { service } = opts;
  const sessions = opts.sessions ?? new Sessions();
  const authenticate: Authenticate = opts.authenticate ?? (async (_user, password) => (service.checkPassword(password) ? { permission: "write" } : null));
  // With the router's own accounts (OpenWrt) there is no web password to set up.
  const needsSetup = () => !opts.authenticate && !service.hasPassword();
  const clientOf = opts.clientAddress ?? (() => "local");
  const app = new Hono<Env>();

  app.onError((err, c) => {
    if (err instanceof ApiError) {
      return c.json({ error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } }, STATUS[err.code]);
    }
    console.error(`enigm-vpnd: error: ${err.message}`);
    return c.json({ error: { code: "internal", message: "internal error" } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: "not_found", message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  // Headers set before the handler go into the response it creates; setting them afterwards
  // (as hono's secureHeaders does) makes hono copy every response: measured +11 MB RSS over
  // 10,000 requests.
  app.use(async (c, next) => {
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
    if (c.req.path.startsWith("/api/")) c.header("Cache-Control", "no-store");
    await next();
  });

  app.get("/api/v1/health", (c) => c.json({ ok: true }));

  if (opts.mode === "web") {
    const secure = (c: { req: { url: string } }) => new URL(c.req.url).protocol === "https:";
    const startSession = (c: Context<Env>, who: { permission: Permission; ref?: string }) => {
      const { id, session } = sessions.create(who);
      setCookie(c, COOKIE, id, { httpOnly: true, sameSite: "Strict", path: "/", secure: secure(c) });
      return c.json({ authenticated: true, permission: who.permission, csrfToken: session.csrf });
    };
    const throttle = (client: string) => {
      const wait = sessions.retryAfter(client);
      if (wait > 0) throw new ApiError("too_many_requests", `too many failed logins; try again in ${Math.ceil(wait / 1000)} s`);
    };

    app.get("/api/v1/session", (c) => {
      const session = sessions.get(getCookie(c, COOKIE));
      return c.json({ authenticated: session !== null, needsSetup: needsSetup(), ...(session ? { csrfToken: session.csrf } : {}) });
    });
    app.post("/api/v1/login", async (c) => {
      const client = clientOf(c);
      throttle(client);
      const body = parseOrThrow(loginBody, await jsonBody(c.req.raw));
      const who = await authenticate(body.username ?? "root", body.password);
      if (!who) {
        sessions.failed(client);
        throw new ApiError("unauthorized", "wrong user name or password");
      }
      sessions.succeeded(client);
      return startSession(c, who);
    });
    app.post("/api/v1/setup", async (c) => {
      const client = clientOf(c);
      throttle(client);
      if (!needsSetup()) throw new ApiError("conflict", "a password is already set, or the router's accounts are used; log in instead");
      const body = parseOrThrow(setupBody, await jsonBody(c.req.raw));
      if (!sameSecret(body.code.trim().toLowerCase(), sessions.setupCode)) {
        sessions.failed(client);
        throw new ApiError("unauthorized", "code: wrong setup code (it is printed in the daemon's log)", "code");
      }
      await service.setPassword(body.password);
      sessions.succeeded(client);
      return startSession(c, { permission: "write" });
    });
    app.post("/api/v1/logout", (c) => {
      sessions.drop(getCookie(c, COOKIE));
      deleteCookie(c, COOKIE, { path: "/" });
      return c.json({ authenticated: false });
    });

    // Everything else under /api/v1 needs a session; changes also need the CSRF token and,
    // when the browser sends one, an Origin naming this host.
    app.use("/api/v1/*", async (c, next) => {
      const session = sessions.get(getCookie(c, COOKIE));
      if (!session) throw new ApiError("unauthorized", "log in first");
      if (c.req.method !== "GET" && c.req.method !== "HEAD") {
        const origin = c.req.header("Origin");
        if (origin && new URL(origin).host !== new URL(c.req.url).host) throw new ApiError("forbidden", `cross-origin request from ${origin} refused`);
        const csrf = c.req.header("X-CSRF-Token");
        if (!csrf || !sameSecret(csrf, session.csrf)) throw new ApiError("forbidden", "missing or wrong CSRF token");
      }
      c.set("session", session);
      c.set("caller", { permission: session.permission, via: "http" });
      await next();
    });
  } else {
    app.use("/api/v1/*", async (c, next) => {
      c.set("caller", { permission: "admin", via: "cli" });
      await next();
    });
    app.post("/api/v1/passwd", async (c) => {
      const body = parseOrThrow(v.strictObject({ password: v.string("must be a string") }), await jsonBody(c.req.raw));
      await service.setPassword(body.password);
      return c.json({ ok: true });
    });
  }

  app.get("/api/v1/events", (c) =>
    streamSSE(c, async (stream) => {
      const send = () => stream.writeSSE({ event: "status", data: JSON.stringify(service.status()) });
      const onState = () => void send();
      // "applied" too: a settings change or a rollback alters the status without a new state
      service.reconciler.on("state", onState);
      service.reconciler.on("applied", onState);
      const timer = setInterval(onState, opts.eventEveryMs ?? 2000);
      stream.onAbort(() => {
        clearInterval(timer);
        service.reconciler.off("state", onState);
        service.reconciler.off("applied", onState);
      });
      await send();
      while (!stream.aborted && !stream.closed) await stream.sleep(60_000);
    }),
  );

  for (const op of operations) {
    const handle = async (c: Context<Env>, input: unknown) => {
      const ref = c.get("session")?.ref;
      if (ref && opts.authorize && !(await opts.authorize(ref, op.name))) {
        throw new ApiError("forbidden", `${op.name}: not allowed by this account's ACL (enigm-vpn in rpcd)`);
      }
      return invoke(service, op.name, input, c.get("caller"));
    };
    if (op.permission === "read") app.get(`/api/v1/${op.name}`, async (c) => c.json((await handle(c, {})) as object));
    app.post(`/api/v1/${op.name}`, async (c) => c.json((await handle(c, await jsonBody(c.req.raw))) as object));
  }

  if (opts.staticFiles) {
    const files = opts.staticFiles;
    app.get("*", async (c) => {
      const path = c.req.path === "/" ? "/index.html" : c.req.path;
      const file = await files(path);
      if (!file) return c.json({ error: { code: "not_found", message: `no file ${path}` } }, 404);
      return c.body(file.body as Uint8Array<ArrayBuffer>, 200, { "Content-Type": file.type, "Cache-Control": path === "/index.html" ? "no-cache" : "max-age=3600" });
    });
  }
  return app;
}
