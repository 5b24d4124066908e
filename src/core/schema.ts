// Field schemas shared by the config model, the wg-quick importer and the operation inputs,
// and the one place where schema issues become an ApiError naming the field and the value.
import * as v from "valibot";
import { ApiError, quote } from "./errors.ts";
import { isWgKey } from "./keys.ts";
import { isCidr, isHost } from "./net.ts";

const said = (what: string) => (issue: { input: unknown }) => `${what}, got ${quote(issue.input)}`;

export const wgKey = v.pipe(v.string(said("must be a string")), v.check(isWgKey, said("must be a WireGuard key: 44 characters of base64 ending in '='")));
export const cidr = v.pipe(v.string(said("must be a string")), v.check(isCidr, said("must be an IP address or prefix like 10.0.0.2/32 or fd00::2/128")));
export const ipAddress = v.pipe(v.string(said("must be a string")), v.ip(said("must be an IPv4 or IPv6 address")));
export const host = v.pipe(v.string(said("must be a string")), v.check(isHost, said("must be a host name or IP address")));
export const port = v.pipe(v.number(said("must be a number")), v.integer(said("must be a whole number")), v.minValue(1, said("must be a port from 1 to 65535")), v.maxValue(65535, said("must be a port from 1 to 65535")));
export const mtu = v.pipe(v.number(said("must be a number")), v.integer(said("must be a whole number")), v.minValue(1280, said("must be an MTU from 1280 to 9000")), v.maxValue(9000, said("must be an MTU from 1280 to 9000")));
export const keepalive = v.pipe(v.number(said("must be a number")), v.integer(said("must be a whole number")), v.minValue(0, said("must be seconds from 0 to 65535")), v.maxValue(65535, said("must be seconds from 0 to 65535")));
export const serverName = v.pipe(
  v.string(said("must be a string")),
  v.check((s) => /^(?! )[^\p{Cc}]{1,64}(?<! )$/u.test(s), said("must be 1 to 64 characters, no control characters, no leading or trailing space")),
);
export const bool = v.boolean(said("must be true or false"));
export const policyMode = v.picklist(["optional", "required", "forbidden"], said("must be one of optional, required, forbidden"));
export const ipv6Mode = v.picklist(["tunnel", "block"], said("must be one of tunnel, block"));
export const index = v.pipe(v.number(said("must be a number")), v.integer(said("must be a whole number")), v.minValue(0, said("must be 0 or more")));

export function list<T extends v.GenericSchema>(item: T, max = 32) {
  return v.pipe(v.array(item, said("must be a list")), v.maxLength(max, said(`must have at most ${max} entries`)));
}

/** Parse or throw an ApiError whose field is the dotted path of the first issue. */
export function parseOrThrow<T extends v.GenericSchema>(schema: T, input: unknown, prefix = ""): v.InferOutput<T> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = (issue.path ?? []).map((p) => String(p.key)).join(".");
  const field = [prefix, path].filter(Boolean).join(".");
  const lastKey = issue.path?.at(-1);
  const message =
    lastKey && "origin" in lastKey && lastKey.origin === "key"
      ? issue.received === "undefined"
        ? "is required"
        : "is not a known field"
      : issue.message;
  throw new ApiError("invalid_input", `${field || "input"}: ${message}`, field || undefined);
}

export function duplicate(field: string, value: string): ApiError {
  return new ApiError("invalid_input", `${field}: ${quote(value)} is already used`, field);
}
