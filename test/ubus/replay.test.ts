// Our client against ubusd's recorded bytes (ubus-raw/*/conn-N.jsonl): it must send what the
// real `ubus` CLI / libubus client sent, byte for byte, and decode every reply to what the CLI
// printed (*.cmds). Sequence numbers and object ids come out identical too: we number requests
// from 1 like libubus, and ids are whatever the recorded ubusd handed out. The differences that
// remain are named where they occur.
import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeEntries } from "../../src/ubus/blobmsg-encode.ts";
import type { BlobmsgTable } from "../../src/ubus/blobmsg-types.ts";
import type { UbusMethod, UbusRequest } from "../../src/ubus/object.ts";
import { UbusClient } from "../../src/ubus/client.ts";
import { Status, UbusError } from "../../src/ubus/errors.ts";
import { parseJsonEntries } from "../../src/ubus/json-text.ts";
import { MsgType } from "../../src/ubus/message.ts";
import { cliOutputs, loadConn, messagesHex, ReplayServer } from "./replay.ts";
import { vectorText } from "./vectors.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** JSON text as the CLI turns it into a message (blobmsg_add_json_from_string). */
const cliData = (json: string): Buffer => encodeEntries(parseJsonEntries(json));

/**
 * Connects a client to the replayed connection, runs `drive`, closes, and compares every message
 * the client sent with the recording. `extra`: messages we send after the recorded ones, on purpose.
 */
async function replay(scenario: string, conn: number, drive: (c: UbusClient, s: ReplayServer) => Promise<void>, extra: string[] = []) {
  const server = await ReplayServer.start(loadConn(scenario, conn));
  cleanups.push(() => server.close());
  const client = await UbusClient.connect({ socketPath: server.path, reconnect: false, timeoutMs: 2000 });
  let failure: unknown;
  try {
    await drive(client, server);
    await client.close();
    await server.finished();
  } catch (err) {
    failure = err;
  }
  // The message diff first: it usually says why the script got stuck.
  expect(messagesHex(server.sent)).toEqual([...messagesHex(server.expected), ...extra]);
  if (failure) throw failure;
}

/** A whole CLI JSON output (blobmsg_format_json_indent) as JS, for the few values it can hold. */
const cliJson = (text: string): unknown => JSON.parse(text);

async function expectStatus(p: Promise<unknown>, status: number): Promise<UbusError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UbusError);
  expect((err as UbusError).status).toBe(status);
  return err as UbusError;
}

describe("ubus list", () => {
  it("list: LOOKUP without a path, one DATA per object", async () => {
    const [cmd] = cliOutputs("list");
    await replay("list", 1, async (c) => {
      const objects = await c.lookup();
      expect(objects.map((o) => o.path).join("\n")).toBe(cmd!.output);
    });
  });

  it("-v list session: signatures as the CLI prints them", async () => {
    const [cmd] = cliOutputs("list-verbose");
    const TYPE: Record<number, string> = { 1: "Array", 2: "Table", 3: "String", 5: "Integer", 7: "Boolean" };
    await replay("list-verbose", 1, async (c) => {
      const [o] = await c.lookup("session");
      const lines = [`'${o!.path}' @${o!.id.toString(16).padStart(8, "0")}`];
      for (const [method, args] of Object.entries(o!.signature!)) {
        const described = Object.fromEntries(Object.entries(args).map(([a, t]) => [a, TYPE[t]]));
        lines.push(`\t${JSON.stringify(method)}:${JSON.stringify(described)}`);
      }
      expect(lines.join("\n")).toBe(cmd!.output);
    });
  });
});

describe("ubus call", () => {
  it("call uci configs: LOOKUP, INVOKE, DATA + STATUS in one chunk", async () => {
    const [cmd] = cliOutputs("call");
    await replay("call", 1, async (c) => {
      expect(await c.call("uci", "configs")).toEqual(cliJson(cmd!.output));
    });
  });

  it("call session login (rpcd): nested tables and arrays", async () => {
    const [cmd] = cliOutputs("rpcd-session");
    await replay("rpcd-session", 1, async (c) => {
      expect(await c.call("session", "login", cliData('{"username":"root","password":"admin","timeout":60}'))).toEqual(cliJson(cmd!.output));
    });
  });

  describe("errors, named like ubus and worded like ubus_strerror", () => {
    const cmds = cliOutputs("call-errors");
    const cases: [number, () => [string, string, Buffer?], number][] = [
      [1, () => ["nosuchobject", "foo"], Status.NOT_FOUND],
      [2, () => ["uci", "nosuchmethod"], Status.METHOD_NOT_FOUND],
      [3, () => ["session", "login", cliData('{"username":"root","password":"wrong"}')], Status.PERMISSION_DENIED],
      [4, () => ["uci", "get", cliData('{"config":"nosuchconfig"}')], Status.NOT_FOUND],
    ];
    for (const [conn, args, status] of cases) {
      it(cmds[conn - 1]!.command, async () => {
        await replay("call-errors", conn, async (c) => {
          const [path, method, data] = args();
          const err = await expectStatus(c.call(path, method, data), status);
          expect(cmds[conn - 1]!.output).toContain(err.message);
          expect(err.code).toMatch(/^UBUS_STATUS_/);
        });
      });
    }
  });
});

describe("an object served by our client (object scenario, conn-1) and called by the CLI (conn-2..9)", () => {
  it("ADD_OBJECT with a signature, then answers echo, hello, fail, multi, defer and fd like labobj", async () => {
    const seen: { method: string; user?: string; group?: string }[] = [];
    await replay("object", 1, async (c, s) => {
      const later = <T>(v: T) => new Promise<T>((res) => setTimeout(() => res(v), 20));
      const methods: UbusMethod[] = [
        { name: "echo", handler: (r) => r.data },
        {
          name: "hello",
          args: { msg: 3, id: 5 },
          handler: (r) => {
            if (typeof r.data.msg !== "string") throw new UbusError(Status.INVALID_ARGUMENT);
            return { message: `labtest received: ${r.data.msg}`, id: r.data.id ?? null };
          },
        },
        {
          name: "fail",
          handler: () => {
            throw new UbusError(Status.PERMISSION_DENIED);
          },
        },
        {
          name: "multi",
          handler: (r) => {
            r.reply({ part: 1 });
            r.reply({ part: 2 });
            return undefined;
          },
        },
        { name: "defer", handler: () => later({ deferred: "yes" }) },
        // labobj also passed a file descriptor with this STATUS (SCM_RIGHTS); Node cannot, so only the bytes are compared.
        { name: "fd", handler: () => later({ deferred: "yes" }) },
      ];
      const obj = await c.addObject(
        "labtest",
        methods.map((m) => ({
          ...m,
          handler: (r: UbusRequest) => {
            seen.push(r);
            return m.handler(r);
          },
        })),
      );
      expect(obj.id).toBe(0xb0e94185);
      expect(obj.typeId).toBe(0x36c6dd77);
      await s.expecting(MsgType.REMOVE_OBJECT);
      await c.removeObject(obj);
    });
    expect(seen.map((r) => r.method)).toEqual(["echo", "hello", "hello", "fail", "multi", "defer", "fd"]);
    expect(seen.every((r) => r.user === "root" && r.group === "root")).toBe(true);
  });

  const cmds = cliOutputs("object");
  it("-v list labtest", async () => {
    await replay("object", 2, async (c) => {
      const [o] = await c.lookup("labtest");
      expect(o!.signature).toEqual({ echo: {}, hello: { msg: 3, id: 5 }, fail: {}, multi: {}, defer: {}, fd: {} });
    });
  });

  it("call labtest echo: every type through the object and back", async () => {
    const cmd = cmds.find((x) => x.command.includes(" echo "))!;
    await replay("object", 3, async (c) => {
      const json = cmd.command.slice(cmd.command.indexOf("{"));
      const reply = await c.call("labtest", "echo", cliData(json));
      // The CLI prints the double as 1.500000 (%lf); the value is 1.5.
      expect(reply).toEqual({ ...(cliJson(cmd.output.replace("1.500000", "1.5")) as BlobmsgTable), big: 5000000000 });
    });
  });

  const calls: [number, string, string?, number?, unknown?][] = [
    [4, "hello", '{"msg":"hi","id":7}', undefined, { message: "labtest received: hi", id: 7 }],
    [5, "hello", '{"id":7}', Status.INVALID_ARGUMENT],
    [6, "fail", undefined, Status.PERMISSION_DENIED],
    [8, "defer", undefined, undefined, { deferred: "yes" }],
    [9, "fd", undefined, undefined, { deferred: "yes" }],
  ];
  for (const [conn, method, json, status, result] of calls) {
    it(`call labtest ${method} ${json ?? ""}`, async () => {
      await replay("object", conn, async (c) => {
        const p = c.call("labtest", method, json ? cliData(json) : {});
        if (status !== undefined) await expectStatus(p, status);
        else expect(await p).toEqual(result);
      });
    });
  }

  it("call labtest multi: two DATA replies, both kept by invoke", async () => {
    await replay("object", 7, async (c) => {
      const id = await c.lookupId("labtest");
      expect(await c.invoke(id, "multi")).toEqual([{ part: 1 }, { part: 2 }]);
    });
  });
});

describe("subscribe / notify", () => {
  it("the notifying object: ACTIVE, NOTIFY with reply, NOTIFY without, ACTIVE off, REMOVE_OBJECT", async () => {
    await replay("subscribe-notify", 1, async (c, s) => {
      const active: boolean[] = [];
      let subscribed!: () => void;
      const firstSubscriber = new Promise<void>((res) => {
        subscribed = res;
      });
      const quiet = () => undefined;
      const obj = await c.addObject(
        "labtest",
        [
          { name: "echo", handler: quiet },
          { name: "hello", args: { msg: 3, id: 5 }, handler: quiet },
          ...["fail", "multi", "defer", "fd"].map((name) => ({ name, handler: quiet })),
        ],
        {
          onSubscribers: (a) => {
            active.push(a);
            if (a) subscribed();
          },
        },
      );
      await firstSubscriber;
      await s.expecting(MsgType.NOTIFY);
      await obj.notify("tick", { n: 1 }, { wait: true });
      await obj.notify("tock", { n: 2 });
      await s.expecting(MsgType.REMOVE_OBJECT);
      await vi.waitFor(() => expect(active).toEqual([true, false]));
      expect(obj.hasSubscribers).toBe(false);
      await c.removeObject(obj);
    });
  });

  it("the subscriber: anonymous object, LOOKUP, SUBSCRIBE, answers notifications unless NO_REPLY", async () => {
    const got: [string, BlobmsgTable][] = [];
    await replay("subscribe-notify", 2, async (c) => {
      const sub = await c.subscribe("labtest", (type, data) => got.push([type, data]));
      expect(sub.targetId).toBe(0x1d8a64fb);
      await vi.waitFor(() =>
        expect(got).toEqual([
          ["tick", { n: 1 }],
          ["tock", { n: 2 }],
        ]),
      );
    });
  });
});

describe("events", () => {
  it("listen lab.event: anonymous object, register with the id as signed int32, answers the event", async () => {
    const got: string[] = [];
    await replay("events", 1, async (c) => {
      await c.listen("lab.event", (type, data) => got.push(`{ "${type}": ${JSON.stringify(data)} }`));
      // The listener's output follows the sender's "(exit 0)" in events.cmds.
      await vi.waitFor(() => expect(got).toEqual([vectorText("ubus-raw/events.cmds").trim().split("\n").at(-1)]));
    });
  });

  it("send lab.event", async () => {
    await replay("events", 2, async (c) => {
      await c.sendEvent("lab.event", { x: 1, y: "z" });
    });
  });
});

describe("wait_for", () => {
  it("registers for ubus.object.add, lists, resolves on the event; then removes its listener (one message more than the CLI, which just exits)", async () => {
    // REMOVE_OBJECT seq 4 for the listener object 0xcb5ae535: the CLI exits instead; a daemon must clean up.
    await replay("wait-for", 1, (c) => c.waitFor(["labtest"]), ["00070004000000000000000c03000008cb5ae535"]);
  });
});
