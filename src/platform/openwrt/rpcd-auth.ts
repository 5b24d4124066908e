// Web logins with the router's own accounts: rpcd's `session login`, and each operation
// checked with `session access` against the enigm-vpn ACL (usr/share/rpcd/acl.d), so a router
// has no second password and an account gets exactly what its ACL grants.
import type { Authenticate, Authorize } from "../../http/auth.ts";
import type { UbusCall } from "./ubus-port.ts";

export const UBUS_OBJECT = "enigm.vpn";

async function allowed(ubus: UbusCall, sid: string, fn: string): Promise<boolean> {
  const r = await ubus("session", "access", { ubus_rpc_session: sid, scope: "ubus", object: UBUS_OBJECT, function: fn });
  return r?.access === true;
}

export function rpcdAuthenticate(ubus: UbusCall): Authenticate {
  return async (username, password) => {
    // rpcd answers a wrong password with UBUS_STATUS_PERMISSION_DENIED.
    const r = await ubus("session", "login", { username, password }).catch(() => undefined);
    const sid = r?.ubus_rpc_session;
    if (typeof sid !== "string") return null;
    if (await allowed(ubus, sid, "enable")) return { permission: "write", ref: sid };
    if (await allowed(ubus, sid, "status")) return { permission: "read", ref: sid };
    await ubus("session", "destroy", { ubus_rpc_session: sid }).catch(() => undefined);
    return null;
  };
}

export function rpcdAuthorize(ubus: UbusCall): Authorize {
  return (sid, operation) => allowed(ubus, sid, operation);
}
