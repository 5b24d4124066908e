// enigm.vpn on the bus: one method per operation with signatures from the valibot schemas,
// calls dispatched with the ubus caller, ApiErrors as a status plus a DATA naming the field,
// state published as an event and a notification.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Caller } from "../../src/api/operations.ts";
import { operations } from "../../src/api/operations.ts";
import { ApiError } from "../../src/core/errors.ts";
import { decodeTable } from "../../src/ubus/blobmsg-decode.ts";
import type { BlobmsgTable } from "../../src/ubus/blobmsg-types.ts";
import { UbusClient } from "../../src/ubus/client.ts";
import { ENIGM_OBJECT, type EnigmObject, registerEnigmObject, STATE_EVENT } from "../../src/ubus/enigm-object.ts";
import { Status, UbusError } from "../../src/ubus/errors.ts";
import { MsgType } from "../../src/ubus/message.ts";
import { UbusdTestDouble } from "./ubusd-double.ts";

let ubusd: UbusdTestDouble;
let daemon: UbusClient;
let cli: UbusClient;
let enigm: EnigmObject;
const calls: [string, unknown, Caller][] = [];

beforeEach(async () => {
  ubusd = await UbusdTestDouble.start();
  daemon = await UbusClient.connect({ socketPath: ubusd.socketPath });
  cli = await UbusClient.connect({ socketPath: ubusd.socketPath });
  calls.length = 0;
  enigm = await registerEnigmObject(daemon, {
    operations,
    invoke: async (name, input, caller) => {
      calls.push([name, input, caller]);
      if (name === "remove_server") throw new ApiError("invalid_input", 'name: "x" is not a server', "name");
      if (name === "export_config") return "[Interface]\n";
      return name === "status" ? { state: "off", since: undefined, handshake: null } : { ok: true };
    },
  });
});
afterEach(async () => {
  await cli.close();
  await daemon.close();
  await ubusd.stop();
});

describe("enigm.vpn", () => {
  it("publishes one method per operation with argument types from the schemas (ubus -v list)", async () => {
    const [info] = await cli.lookup(ENIGM_OBJECT);
    expect(Object.keys(info!.signature!)).toEqual(operations.map((o) => o.name));
    expect(info!.signature).toMatchObject({
      status: {},
      import_config: { text: 3, name: 3, replace: 7 },
      move_server: { name: 3, position: 5 },
      set_settings: { enabled: 7, killSwitch: 7, dnsProtection: 7, ipv6: 3 },
      set_policy: { mode: 3, locked: 7 },
    });
  });

  it("dispatches calls with the caller ubusd names", async () => {
    expect(await cli.call(ENIGM_OBJECT, "status")).toEqual({ state: "off", handshake: null });
    expect(await cli.call(ENIGM_OBJECT, "move_server", { name: "home", position: 0 })).toEqual({ ok: true });
    expect(await cli.call(ENIGM_OBJECT, "export_config")).toEqual({ result: "[Interface]\n" });
    expect(calls.map(([n, i, c]) => [n, i, c.permission, c.via, c.user])).toEqual([
      ["status", {}, "admin", "ubus", "root"],
      ["move_server", { name: "home", position: 0 }, "admin", "ubus", "root"],
      ["export_config", {}, "admin", "ubus", "root"],
    ]);
  });

  it("answers an ApiError with a DATA naming the field, then the matching status", async () => {
    const id = await cli.lookupId(ENIGM_OBJECT);
    const err = await cli.invoke(id, "remove_server", { name: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UbusError);
    expect((err as UbusError).status).toBe(Status.INVALID_ARGUMENT);
    // The DATA went out before the STATUS: the double saw it from the daemon.
    const replies = ubusd.received.filter((m) => m.type === MsgType.DATA && m.attrs.data).map((m) => decodeTable(m.attrs.data!));
    expect(replies).toContainEqual({ error: { code: "invalid_input", message: 'name: "x" is not a server', field: "name" } });
  });

  it("publishes state as the enigm.vpn.state event and to subscribers", async () => {
    const events: BlobmsgTable[] = [];
    await cli.listen(STATE_EVENT, (_, d) => events.push(d));
    const notes: [string, BlobmsgTable][] = [];
    await cli.subscribe(ENIGM_OBJECT, (t, d) => notes.push([t, d]));
    await vi.waitFor(() => expect(enigm.object.hasSubscribers).toBe(true));
    await enigm.publishState({ state: "protected" });
    await vi.waitFor(() => expect(events).toEqual([{ state: "protected" }]));
    await vi.waitFor(() => expect(notes).toEqual([["state", { state: "protected" }]]));
  });
});
