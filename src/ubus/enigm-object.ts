// The `enigm.vpn` ubus object: one method per operation of the operation table, its argument
// signature derived from the operation's valibot input schema (so `ubus -v list enigm.vpn`
// describes the API), and state changes published as `enigm.vpn.state` events and as
// notifications to the object's subscribers.
import type * as v from "valibot";
import type { Caller, Operation } from "../api/operations.ts";
import { ApiError, type ErrorCode } from "../core/errors.ts";
import { type BlobmsgTable, BlobmsgType } from "./blobmsg-types.ts";
import type { UbusClient } from "./client.ts";
import { Status, UbusError } from "./errors.ts";
import type { UbusMethod, UbusObject, UbusRequest } from "./object.ts";

export const ENIGM_OBJECT = "enigm.vpn";
export const STATE_EVENT = "enigm.vpn.state";

type AnySchema = v.GenericSchema & { type: string; wrapped?: AnySchema; entries?: Record<string, AnySchema>; pipe?: readonly { type: string }[] };

/** The blobmsg type a schema's values travel as. Numbers are INT32 when the schema says integer. */
export function blobmsgTypeOf(schema: AnySchema): BlobmsgType {
  switch (schema.type) {
    case "optional":
    case "exact_optional":
    case "nullable":
    case "nullish":
    case "non_optional":
      return schema.wrapped ? blobmsgTypeOf(schema.wrapped) : BlobmsgType.UNSPEC;
    case "string":
    case "picklist":
    case "enum":
      return BlobmsgType.STRING;
    case "number":
      return schema.pipe?.some((a) => a.type === "integer") ? BlobmsgType.INT32 : BlobmsgType.DOUBLE;
    case "boolean":
      return BlobmsgType.INT8;
    case "array":
    case "tuple":
    case "strict_tuple":
    case "loose_tuple":
      return BlobmsgType.ARRAY;
    case "object":
    case "strict_object":
    case "loose_object":
    case "record":
      return BlobmsgType.TABLE;
    default:
      return BlobmsgType.UNSPEC;
  }
}

/** An object schema's fields as a ubus method signature. */
export function argsSignature(schema: v.GenericSchema): Record<string, BlobmsgType> {
  const entries = (schema as AnySchema).entries ?? {};
  return Object.fromEntries(Object.entries(entries).map(([name, s]) => [name, blobmsgTypeOf(s)]));
}

const STATUS_FOR: Record<ErrorCode, number> = {
  invalid_input: Status.INVALID_ARGUMENT,
  conflict: Status.INVALID_ARGUMENT,
  unauthorized: Status.PERMISSION_DENIED,
  forbidden: Status.PERMISSION_DENIED,
  policy_refused: Status.PERMISSION_DENIED,
  not_found: Status.NOT_FOUND,
  too_many_requests: Status.UNKNOWN_ERROR,
  apply_failed: Status.SYSTEM_ERROR,
};

/**
 * Whoever can reach ubusd as root is the router's admin; rpcd forwards web users as root too,
 * after checking them against acl.d/enigm-vpn.json. Other users reach the object only where a
 * ubusd ACL lets them, and get read access.
 */
export const defaultCaller = (req: UbusRequest): Caller => ({ permission: req.user === "root" ? "admin" : "read", via: "ubus", user: req.user });

export interface EnigmObjectOptions {
  operations: readonly Operation[];
  /** Runs an operation (src/api/invoke.ts bound to the service). */
  invoke(name: string, input: unknown, caller: Caller): Promise<unknown>;
  callerFor?(req: UbusRequest): Caller;
}

/** A ubus reply must be a table: results become plain JSON, non-objects are wrapped as { result }. */
function replyTable(result: unknown): BlobmsgTable | undefined {
  if (result === undefined || result === null) return undefined;
  const plain = JSON.parse(JSON.stringify(result)) as unknown;
  return typeof plain === "object" && plain !== null && !Array.isArray(plain) ? (plain as BlobmsgTable) : { result: plain as BlobmsgTable[string] };
}

export function enigmMethods(opts: EnigmObjectOptions): UbusMethod[] {
  const callerFor = opts.callerFor ?? defaultCaller;
  return opts.operations.map((op) => ({
    name: op.name,
    args: argsSignature(op.input),
    handler: async (req) => {
      try {
        return replyTable(await opts.invoke(op.name, req.data, callerFor(req)));
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        // ubus carries only a status; the DATA before it says which field and why (the CLI prints both).
        req.reply({ error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } });
        throw new UbusError(STATUS_FOR[err.code], err.message);
      }
    },
  }));
}

export interface EnigmObject {
  readonly object: UbusObject;
  /** Sends the `enigm.vpn.state` event and notifies subscribers of enigm.vpn with type "state". */
  publishState(state: BlobmsgTable): Promise<void>;
}

export async function registerEnigmObject(client: UbusClient, opts: EnigmObjectOptions): Promise<EnigmObject> {
  const object = await client.addObject(ENIGM_OBJECT, enigmMethods(opts));
  return {
    object,
    async publishState(state) {
      await client.sendEvent(STATE_EVENT, state);
      if (object.hasSubscribers) await object.notify("state", state);
    },
  };
}
