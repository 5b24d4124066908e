// The one table of operations. HTTP routes, CLI commands and ubus methods are all made from
// it, so a permission or an input rule is written once.
import * as v from "valibot";
import type { Permission } from "../core/policy.ts";
import * as s from "../core/schema.ts";
import type { VpnService } from "../service/vpn-service.ts";

export interface Caller {
  permission: Permission;
  via: "http" | "cli" | "ubus";
  user?: string;
}

export interface Operation<S extends v.ObjectEntries = v.ObjectEntries> {
  name: string;
  summary: string;
  permission: Permission;
  /** Could cut a remote caller off (routes, kill switch, DNS): web callers get automatic rollback. */
  guarded?: boolean;
  input: v.StrictObjectSchema<S, undefined>;
  handler(svc: VpnService, input: v.InferOutput<v.StrictObjectSchema<S, undefined>>, caller: Caller): unknown;
}

const op = <S extends v.ObjectEntries>(o: Operation<S>): Operation => o as unknown as Operation;
const none = v.strictObject({});

export const MAX_IMPORT_BYTES = 64 * 1024;

export const operations: readonly Operation[] = [
  op({ name: "status", summary: "State, reason, server, handshake and counters", permission: "read", input: none, handler: (svc) => svc.status() }),
  op({ name: "enable", guarded: true, summary: "Switch the VPN on (refused when the policy forbids it)", permission: "write", input: none, handler: (svc) => svc.enable() }),
  op({ name: "disable", guarded: true, summary: "Switch the VPN off (refused when the policy requires it)", permission: "write", input: none, handler: (svc) => svc.disable() }),
  op({
    name: "import_config",
    guarded: true,
    summary: "Add the servers of a wg-quick .conf file",
    permission: "write",
    input: v.strictObject({
      text: v.pipe(v.string("text: must be the text of a .conf file"), v.maxLength(MAX_IMPORT_BYTES, `must be at most ${MAX_IMPORT_BYTES} bytes`)),
      name: v.optional(s.serverName),
      replace: v.optional(s.bool),
    }),
    handler: (svc, input) => svc.importConfig(input),
  }),
  op({ name: "export_config", summary: "The configuration as a wg-quick file, without secrets", permission: "read", input: none, handler: (svc) => svc.exportConfig() }),
  op({ name: "list_servers", summary: "Servers in failover order", permission: "read", input: none, handler: (svc) => ({ servers: svc.listServers() }) }),
  op({ name: "remove_server", summary: "Remove a server", permission: "write", input: v.strictObject({ name: s.serverName }), handler: async (svc, i) => ({ servers: await svc.removeServer(i.name) }) }),
  op({
    name: "move_server",
    summary: "Move a server to a position in the failover order (0 is first)",
    permission: "write",
    input: v.strictObject({ name: s.serverName, position: s.index }),
    handler: async (svc, i) => ({ servers: await svc.moveServer(i.name, i.position) }),
  }),
  op({
    name: "rename_server",
    summary: "Rename a server",
    permission: "write",
    input: v.strictObject({ name: s.serverName, new_name: s.serverName }),
    handler: async (svc, i) => ({ servers: await svc.renameServer(i.name, i.new_name) }),
  }),
  op({ name: "generate_keys", summary: "Make a new key pair on the router; returns the public key", permission: "write", input: none, handler: (svc) => svc.generateKeys() }),
  op({ name: "get_settings", summary: "Kill switch, DNS protection, IPv6 mode", permission: "read", input: none, handler: (svc) => svc.getSettings() }),
  op({
    name: "set_settings",
    guarded: true,
    summary: "Change settings (those the policy locks are refused)",
    permission: "write",
    input: v.strictObject({ enabled: v.optional(s.bool), killSwitch: v.optional(s.bool), dnsProtection: v.optional(s.bool), ipv6: v.optional(s.ipv6Mode) }),
    handler: (svc, i) => svc.setSettings(i),
  }),
  op({ name: "confirm_apply", summary: "Keep the change that is waiting for confirmation", permission: "write", input: none, handler: (svc) => svc.confirmApply() }),
  op({ name: "rollback_apply", summary: "Revert the change that is waiting for confirmation now", permission: "write", input: none, handler: (svc) => svc.rollbackApply() }),
  op({ name: "get_policy", summary: "Deployment policy and whether it is locked", permission: "read", input: none, handler: (svc) => svc.getPolicy() }),
  op({
    name: "set_policy",
    guarded: true,
    summary: "Change the deployment policy (a locked policy, or locking it, needs admin)",
    permission: "write",
    input: v.strictObject({ mode: v.optional(s.policyMode), locked: v.optional(s.bool) }),
    handler: (svc, i, caller) => svc.setPolicy(i, caller.permission),
  }),
];

export const operationByName = new Map(operations.map((o) => [o.name, o]));

const RANK: Record<Permission, number> = { read: 0, write: 1, admin: 2 };
export const allows = (have: Permission, need: Permission): boolean => RANK[have] >= RANK[need];
