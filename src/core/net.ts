// Address and prefix syntax checks, strict like wireguard-tools' parser.
import { isIP } from "node:net";

export function isCidr(text: string): boolean {
  const slash = text.indexOf("/");
  const addr = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(addr);
  if (!family) return false;
  if (slash < 0) return true;
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

export function isHostname(text: string): boolean {
  return text.length <= 253 && /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(text);
}

export function isHost(text: string): boolean {
  return isIP(text) !== 0 || isHostname(text);
}

/** Split "host:port" / "[v6]:port" as wg does for Endpoint. */
export function splitEndpoint(text: string): { host: string; port: string } | null {
  const m = /^\[([^\]]+)\]:([^:]+)$/.exec(text) ?? /^([^:[\]]+):([^:]+)$/.exec(text);
  return m ? { host: m[1]!, port: m[2]! } : null;
}

export function formatEndpoint(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
