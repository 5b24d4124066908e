// The browser's side of /api/v1: JSON in and out, the CSRF token on every change, errors
// carrying the field the server named.
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

let csrfToken = "";

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export async function api<T>(name: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api/v1/${name}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
    body: body === undefined ? null : JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; field?: string } };
  if (!res.ok) {
    const e = data.error ?? { code: "http", message: `HTTP ${res.status}` };
    throw new ApiFailure(res.status, e.code, e.message, e.field);
  }
  return data as T;
}

export interface Session {
  authenticated: boolean;
  needsSetup: boolean;
  csrfToken?: string;
}

/**
 * After a guarded change (one the router undoes unless confirmed): the answer came back, so
 * the router is still reachable with the change in place; keep it, as LuCI's apply does.
 */
export async function keepIfReachable(): Promise<void> {
  const s = await api<{ pendingApply: unknown }>("status");
  if (s.pendingApply) await api("confirm_apply", {});
}
