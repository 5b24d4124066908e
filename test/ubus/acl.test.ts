// files/usr/share/rpcd/acl.d/enigm-vpn.json against the operation table: rpcd's access-group
// format, read methods only in the read grant, no grant for set_policy (root only), and no
// uci or file access that would bypass the daemon (the config holds private keys).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { operationByName, operations } from "../../src/api/operations.ts";
import { ENIGM_OBJECT } from "../../src/ubus/enigm-object.ts";

type Grant = { ubus?: Record<string, string[]> } & Record<string, unknown>;
const acl = JSON.parse(readFileSync(new URL("../../files/usr/share/rpcd/acl.d/enigm-vpn.json", import.meta.url), "utf8")) as Record<
  string,
  { description: string; read?: Grant; write?: Grant }
>;

describe("rpcd ACL enigm-vpn.json", () => {
  const group = acl["enigm-vpn"]!;

  it("is one access group with a description, read and write", () => {
    expect(Object.keys(acl)).toEqual(["enigm-vpn"]);
    expect(group.description).toBeTruthy();
    expect(Object.keys(group.read!)).toEqual(["ubus"]);
    expect(Object.keys(group.write!)).toEqual(["ubus"]);
  });

  it("grants read methods for reading and write methods for writing, only on enigm.vpn", () => {
    const read = group.read!.ubus![ENIGM_OBJECT]!;
    const write = group.write!.ubus![ENIGM_OBJECT]!;
    expect(read).toEqual(["status", "list_servers", "get_settings", "get_policy", "export_config"]);
    expect(write).toEqual(expect.arrayContaining(["enable", "disable", "import_config", "remove_server", "move_server", "generate_keys", "set_settings"]));
    for (const m of read) expect(operationByName.get(m)?.permission).toBe("read");
    for (const m of write) expect(operationByName.get(m)?.permission).toBe("write");
    expect(Object.keys(group.read!.ubus!)).toEqual([ENIGM_OBJECT]);
    expect(Object.keys(group.write!.ubus!)).toEqual([ENIGM_OBJECT]);
  });

  it("covers every operation but set_policy: on OpenWrt the web UI checks each one with rpcd", () => {
    const granted = [...group.read!.ubus![ENIGM_OBJECT]!, ...group.write!.ubus![ENIGM_OBJECT]!].sort();
    expect(granted).toEqual(operations.map((o) => o.name).filter((n) => n !== "set_policy").sort());
  });

  it("leaves set_policy to root", () => {
    expect(JSON.stringify(acl)).not.toContain('"set_policy"');
    expect(operationByName.has("set_policy")).toBe(true);
  });
});
