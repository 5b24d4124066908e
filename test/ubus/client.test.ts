// Client and object server behaviour the recordings do not cover, against UbusdTestDouble:
// concurrent calls, timeouts, errors, subscriptions, events, wait_for, reconnect.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BlobmsgTable } from "../../src/ubus/blobmsg-types.ts";
import { UbusClient, type UbusClientOptions } from "../../src/ubus/client.ts";
import { Status, UbusError } from "../../src/ubus/errors.ts";
import type { UbusRequest } from "../../src/ubus/object.ts";
import { UbusdTestDouble } from "./ubusd-double.ts";

let ubusd: UbusdTestDouble;
const clients: UbusClient[] = [];
const connect = async (opts: UbusClientOptions = {}) => {
  const c = await UbusClient.connect({ socketPath: ubusd.socketPath, reconnectDelayMs: 20, ...opts });
  clients.push(c);
  return c;
};
const statusOf = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof UbusError ? e.code : e),
  );

beforeEach(async () => {
  ubusd = await UbusdTestDouble.start({ user: "admin", group: "wheel" });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await ubusd.stop();
});

describe("calls", () => {
  it("calls a scripted object and lists it with its signature", async () => {
    ubusd.addObject("network.interface.wan", { status: () => ({ up: true, l3_device: "eth1", uptime: 42 }) }, { status: { name: 3 } });
    const c = await connect();
    expect(await c.call("network.interface.wan", "status")).toEqual({ up: true, l3_device: "eth1", uptime: 42 });
    expect(await c.lookup("network.interface.*")).toMatchObject([{ path: "network.interface.wan", signature: { status: { name: 3 } } }]);
  });

  it("keeps 200 concurrent calls apart by sequence number", async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    ubusd.addObject("echo", {
      delay: async (d) => {
        await sleep(Math.random() * 20);
        return d;
      },
    });
    const c = await connect();
    const id = await c.lookupId("echo");
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => c.invoke(id, "delay", { i })));
    expect(answers).toEqual(Array.from({ length: 200 }, (_, i) => [{ i }]));
    const seqs = ubusd.received.filter((m) => m.attrs.method === "delay").map((m) => m.seq);
    expect(new Set(seqs).size).toBe(200);
  });

  it("times out a call that gets no answer, and the connection keeps working", async () => {
    ubusd.addObject("slow", { never: () => new Promise(() => {}), fast: () => ({ ok: true }) });
    const c = await connect();
    expect(await statusOf(c.call("slow", "never", {}, { timeoutMs: 50 }))).toBe("UBUS_STATUS_TIMEOUT");
    expect(await c.call("slow", "fast")).toEqual({ ok: true });
  });

  it("names errors like ubus", async () => {
    ubusd.addObject("x", { denied: () => Promise.reject(new UbusError(Status.PERMISSION_DENIED)) });
    const c = await connect();
    expect(await statusOf(c.call("nosuch", "m"))).toBe("UBUS_STATUS_NOT_FOUND");
    expect(await statusOf(c.call("x", "nosuchmethod"))).toBe("UBUS_STATUS_METHOD_NOT_FOUND");
    expect(await statusOf(c.call("x", "denied"))).toBe("UBUS_STATUS_PERMISSION_DENIED");
    expect(await statusOf(UbusClient.connect({ socketPath: `${ubusd.socketPath}.missing` }))).toBe("UBUS_STATUS_CONNECTION_FAILED");
  });
});

describe("objects", () => {
  it("serves methods to another client: caller USER/GROUP, deferred replies, unknown methods, failures", async () => {
    const server = await connect();
    const seen: UbusRequest[] = [];
    await server.addObject("enigm.test", [
      {
        name: "who",
        handler: (r) => {
          seen.push(r);
          return { user: r.user ?? "", group: r.group ?? "" };
        },
      },
      {
        name: "later",
        args: { ms: 5 },
        handler: async (r) => {
          await new Promise((res) => setTimeout(res, Number(r.data.ms)));
          return { done: true };
        },
      },
      {
        name: "boom",
        handler: () => {
          throw new Error("bug");
        },
      },
    ]);
    const caller = await connect();
    expect(await caller.call("enigm.test", "who")).toEqual({ user: "admin", group: "wheel" });
    expect(seen[0]!.peer).toBe(caller.localId);
    expect(await caller.call("enigm.test", "later", { ms: 30 })).toEqual({ done: true });
    expect(await statusOf(caller.call("enigm.test", "nope"))).toBe("UBUS_STATUS_METHOD_NOT_FOUND");
    expect(await statusOf(caller.call("enigm.test", "boom"))).toBe("UBUS_STATUS_UNKNOWN_ERROR");
    expect((await caller.lookup("enigm.test"))[0]!.signature).toEqual({ who: {}, later: { ms: 5 }, boom: {} });
  });

  it("removes an object", async () => {
    const server = await connect();
    const obj = await server.addObject("gone.soon", [{ name: "x", handler: () => undefined }]);
    await server.removeObject(obj);
    expect(ubusd.paths()).not.toContain("gone.soon");
  });
});

describe("subscriptions", () => {
  it("subscribe, ACTIVE to the owner, notify with and without waiting, unsubscribe", async () => {
    const owner = await connect();
    const active: boolean[] = [];
    const obj = await owner.addObject("enigm.vpn", [], { onSubscribers: (a) => active.push(a) });
    const sub = await connect();
    const got: [string, BlobmsgTable][] = [];
    const s = await sub.subscribe("enigm.vpn", (type, data) => got.push([type, data]));
    await vi.waitFor(() => expect(active).toEqual([true]));
    await obj.notify("state", { state: "connecting" }, { wait: true });
    expect(got).toEqual([["state", { state: "connecting" }]]);
    await obj.notify("state", { state: "protected" });
    await vi.waitFor(() => expect(got).toHaveLength(2));
    await s.unsubscribe();
    await vi.waitFor(() => expect(active).toEqual([true, false]));
  });

  it("a notify with nobody subscribed completes at once", async () => {
    const owner = await connect();
    const obj = await owner.addObject("lonely", []);
    await obj.notify("x", {}, { wait: true });
  });

  it("tells the subscriber when the object goes away", async () => {
    const owner = await connect();
    const obj = await owner.addObject("short.lived", []);
    const sub = await connect();
    const removed = vi.fn();
    await sub.subscribe("short.lived", () => {}, { onRemove: removed });
    await owner.removeObject(obj);
    await vi.waitFor(() => expect(removed).toHaveBeenCalledOnce());
  });
});

describe("events", () => {
  it("listens by exact name and by prefix; sends", async () => {
    const listener = await connect();
    const got: string[] = [];
    await listener.listen("enigm.vpn.state", (t, d) => got.push(`${t} ${JSON.stringify(d)}`));
    await listener.listen("enigm.*", (t) => got.push(`* ${t}`));
    const sender = await connect();
    await sender.sendEvent("enigm.vpn.state", { state: "off" });
    ubusd.sendEvent("other.event", {});
    ubusd.sendEvent("enigm.x", {});
    await vi.waitFor(() => expect(got.sort()).toEqual(['* enigm.vpn.state', "* enigm.x", 'enigm.vpn.state {"state":"off"}']));
  });

  it("stops listening", async () => {
    const c = await connect();
    const got = vi.fn();
    const l = await c.listen("e", got);
    await l.close();
    await c.sendEvent("e");
    await new Promise((r) => setTimeout(r, 30));
    expect(got).not.toHaveBeenCalled();
  });
});

describe("wait_for", () => {
  it("resolves when the objects are there already or appear later", async () => {
    ubusd.addObject("network", { x: () => undefined });
    const c = await connect();
    await c.waitFor(["network"]);
    const waiting = c.waitFor(["network", "network.interface.lan"]);
    setTimeout(() => ubusd.addObject("network.interface.lan", { status: () => ({}) }), 30);
    await waiting;
  });

  it("times out", async () => {
    const c = await connect();
    expect(await statusOf(c.waitFor(["never"], 50))).toBe("UBUS_STATUS_TIMEOUT");
  });
});

describe("reconnect after ubusd restarts", () => {
  it("fails pending calls, reconnects, restores objects, event listeners and subscriptions", async () => {
    ubusd.addObject("hang", { forever: () => new Promise(() => {}) });
    const c = await connect();
    const obj = await c.addObject("enigm.vpn", [{ name: "status", handler: () => ({ state: "off" }) }]);
    const events: string[] = [];
    await c.listen("enigm.vpn.state", (_, d) => events.push(String(d.state)));
    const notes: string[] = [];
    await c.subscribe("enigm.vpn", (t) => notes.push(t));
    const oldId = obj.id;

    const pending = statusOf(c.call("hang", "forever"));
    const reconnected = new Promise((r) => c.once("reconnect", r));
    const disconnected = vi.fn();
    c.on("disconnect", disconnected);
    await vi.waitFor(() => expect(ubusd.received.some((m) => m.attrs.method === "forever")).toBe(true));
    await ubusd.restart(50);
    expect(await pending).toBe("UBUS_STATUS_CONNECTION_FAILED");
    await reconnected;
    expect(disconnected).toHaveBeenCalledOnce();
    expect(obj.id).not.toBe(oldId);

    const other = await connect();
    expect(await other.call("enigm.vpn", "status")).toEqual({ state: "off" });
    await other.sendEvent("enigm.vpn.state", { state: "protected" });
    await vi.waitFor(() => expect(events).toEqual(["protected"]));
    await obj.notify("tick", {}, { wait: true });
    expect(notes).toEqual(["tick"]);
  });
});
