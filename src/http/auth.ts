// Web sessions: password login (or a one-time setup code on first start), opaque session
// tokens in an HttpOnly cookie, a CSRF token per session, and login backoff per client.
import { randomBytes, timingSafeEqual } from "node:crypto";

import type { Permission } from "../core/policy.ts";

export interface Session {
  csrf: string;
  expires: number;
  permission: Permission;
  /** The login's handle at the authenticator (rpcd's ubus_rpc_session on OpenWrt). */
  ref?: string;
}

/** Who a login is, as the authenticator says; null for a wrong user name or password. */
export type Authenticate = (username: string, password: string) => Promise<{ permission: Permission; ref?: string } | null>;
/** Whether the login behind `ref` may run `operation` (rpcd's `session access` on OpenWrt). */
export type Authorize = (ref: string, operation: string) => Promise<boolean>;

export interface AuthOptions {
  now?: () => number;
  sessionTtlMs?: number;
  /** Failed logins allowed before backoff starts. */
  freeAttempts?: number;
}

const token = () => randomBytes(32).toString("base64url");

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private readonly failures = new Map<string, { count: number; until: number }>();
  private readonly now: () => number;
  private readonly ttl: number;
  private readonly free: number;
  /** One-time code printed on first start, to set the password from the browser. */
  readonly setupCode = randomBytes(6).toString("hex").replace(/(.{4})(.{4})(.{4})/, "$1-$2-$3");

  constructor(opts: AuthOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.ttl = opts.sessionTtlMs ?? 12 * 3600_000;
    this.free = opts.freeAttempts ?? 3;
  }

  create(who: { permission: Permission; ref?: string }): { id: string; session: Session } {
    // Expired sessions are dropped here too, so logins that are never used again do not pile up.
    const now = this.now();
    for (const [old, s] of this.sessions) if (s.expires <= now) this.sessions.delete(old);
    const id = token();
    const session = { ...who, csrf: token(), expires: now + this.ttl };
    this.sessions.set(id, session);
    return { id, session };
  }

  get(id: string | undefined): Session | null {
    if (!id) return null;
    const s = this.sessions.get(id);
    if (!s) return null;
    if (s.expires <= this.now()) {
      this.sessions.delete(id);
      return null;
    }
    return s;
  }

  drop(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** Milliseconds the client must still wait before another login attempt (0 = may try). */
  retryAfter(client: string): number {
    const f = this.failures.get(client);
    return f ? Math.max(0, f.until - this.now()) : 0;
  }

  /** Exponential backoff after the free attempts: 1 s, 2 s, 4 s ... capped at 5 minutes. */
  failed(client: string): void {
    const count = (this.failures.get(client)?.count ?? 0) + 1;
    const wait = count <= this.free ? 0 : Math.min(300_000, 1000 * 2 ** (count - this.free - 1));
    this.failures.set(client, { count, until: this.now() + wait });
  }

  succeeded(client: string): void {
    this.failures.delete(client);
  }
}
