// Runs one operation for one caller: look up, permission, input validation, handler.
import { ApiError, quote } from "../core/errors.ts";
import { parseOrThrow } from "../core/schema.ts";
import type { VpnService } from "../service/vpn-service.ts";
import { allows, type Caller, operationByName } from "./operations.ts";

export async function invoke(svc: VpnService, name: string, input: unknown, caller: Caller): Promise<unknown> {
  const op = operationByName.get(name);
  if (!op) throw new ApiError("not_found", `operation: no operation named ${quote(name)}`, "operation");
  if (!allows(caller.permission, op.permission)) {
    throw new ApiError("forbidden", `${name} needs ${op.permission} access; this session has ${caller.permission}`);
  }
  const parsed = parseOrThrow(op.input, input ?? {});
  const run = async () => op.handler(svc, parsed, caller);
  return op.guarded && caller.via === "http" ? svc.guarded(run) : run();
}
