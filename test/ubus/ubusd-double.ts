// UbusdTestDouble: a stand-in for ubusd on a unix socket in a temp dir, built on src/ubus's
// codec. It does what the recordings show ubusd doing (HELLO, LOOKUP, ADD/REMOVE_OBJECT,
// INVOKE forwarding with USER/GROUP, SUBSCRIBE/NOTIFY with ACTIVE, events through object 1,
// ubus.object.add) and can host scripted objects, e.g. `network.interface.wan status`.
// It can be restarted on the same path to test reconnects. Not a full ubusd: no ACLs, no fds,
// no MONITOR.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeTable } from "../../src/ubus/blobmsg-decode.ts";
import type { BlobmsgTable } from "../../src/ubus/blobmsg-types.ts";
import { Status, UbusError } from "../../src/ubus/errors.ts";
import { decodeMessage, encodeMessage, MessageFramer, MsgType, type OutAttrs, type UbusMessage } from "../../src/ubus/message.ts";

/** A method of a scripted object: returns the reply data, throws UbusError for a status. */
export type ScriptedMethod = (data: BlobmsgTable, caller: { user: string; group: string }) => BlobmsgTable | undefined | Promise<BlobmsgTable | undefined>;

interface Client {
  id: number;
  sock: Socket;
  seq: number;
}

interface Obj {
  id: number;
  path?: string;
  typeId?: number;
  signature?: Uint8Array | BlobmsgTable;
  /** undefined for scripted objects, which the double answers itself. */
  owner?: Client;
  scripted?: Record<string, ScriptedMethod>;
  subscribers: Set<number>;
}

const SYSTEM_OBJECT = 1;

export class UbusdTestDouble {
  readonly socketPath: string;
  private readonly dir: string;
  private server: Server | undefined;
  private readonly clients = new Map<number, Client>();
  private readonly objects = new Map<number, Obj>();
  private readonly scripted = new Map<string, { methods: Record<string, ScriptedMethod>; signature: BlobmsgTable }>();
  /** Event registrations: listener object id -> pattern. */
  private readonly events = new Map<number, string>();
  private nextId = 0x10000000;
  /** Every message clients sent, for tests that want to look. */
  readonly received: UbusMessage[] = [];

  private constructor(
    readonly user: string,
    readonly group: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), "ubusd-double-"));
    this.socketPath = join(this.dir, "ubus.sock");
  }

  static async start(opts: { user?: string; group?: string } = {}): Promise<UbusdTestDouble> {
    const d = new UbusdTestDouble(opts.user ?? "root", opts.group ?? "root");
    await d.listen();
    return d;
  }

  /** Hosts an object the double answers itself; it survives restarts (as if its daemon re-registered). */
  addObject(path: string, methods: Record<string, ScriptedMethod>, signature: BlobmsgTable = {}): void {
    const sig: BlobmsgTable = {};
    for (const m of Object.keys(methods)) sig[m] = (signature[m] as BlobmsgTable | undefined) ?? {};
    this.scripted.set(path, { methods, signature: sig });
    if (this.server) this.createScripted(path);
  }

  /** Paths of every named object on the bus. */
  paths(): string[] {
    return [...this.objects.values()].flatMap((o) => (o.path ? [o.path] : []));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Sends an event to the listeners, as `ubus send` would. */
  sendEvent(type: string, data: BlobmsgTable = {}): void {
    this.deliverEvent(type, data);
  }

  /** Like ubusd dying: every connection closes and all state goes; `downMs` later it listens again. */
  async restart(downMs = 0): Promise<void> {
    await this.shutdown();
    await new Promise((r) => setTimeout(r, downMs));
    await this.listen();
  }

  async stop(): Promise<void> {
    await this.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async listen(): Promise<void> {
    this.server = createServer((sock) => this.accept(sock));
    await new Promise<void>((res) => this.server!.listen(this.socketPath, res));
    for (const path of this.scripted.keys()) this.createScripted(path);
  }

  private async shutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const c of this.clients.values()) c.sock.destroy();
    this.clients.clear();
    this.objects.clear();
    this.events.clear();
    if (server) await new Promise((res) => server.close(res));
  }

  private newId(): number {
    this.nextId = (this.nextId + 0x01010101) >>> 0;
    return this.nextId;
  }

  private createScripted(path: string): void {
    const s = this.scripted.get(path)!;
    const obj: Obj = { id: this.newId(), path, typeId: this.newId(), signature: s.signature, scripted: s.methods, subscribers: new Set() };
    this.objects.set(obj.id, obj);
    this.deliverEvent("ubus.object.add", { id: obj.id | 0, path });
  }

  private accept(sock: Socket): void {
    const client: Client = { id: this.newId(), sock, seq: 0 };
    this.clients.set(client.id, client);
    const framer = new MessageFramer();
    sock.on("data", (chunk: Buffer) => {
      try {
        for (const frame of framer.push(chunk)) {
          const msg = decodeMessage(frame);
          this.received.push(msg);
          this.handle(client, msg);
        }
      } catch {
        sock.destroy();
      }
    });
    sock.on("error", () => {});
    sock.on("close", () => this.drop(client));
    this.send(client, MsgType.HELLO, 0, client.id, {});
  }

  private send(to: Client, type: number, seq: number, peer: number, attrs: OutAttrs): void {
    if (!to.sock.destroyed) to.sock.write(encodeMessage(type, seq, peer, attrs));
  }

  private status(to: Client, seq: number, peer: number, status: number, extra: OutAttrs = {}): void {
    this.send(to, MsgType.STATUS, seq, peer, { ...extra, status });
  }

  private handle(c: Client, msg: UbusMessage): void {
    const { seq, attrs } = msg;
    switch (msg.type) {
      case MsgType.LOOKUP: {
        const wanted = attrs.objpath;
        const match = (p: string) => wanted === undefined || p === wanted || (wanted.endsWith("*") && p.startsWith(wanted.slice(0, -1)));
        const found = [...this.objects.values()].filter((o) => o.path !== undefined && match(o.path));
        for (const o of found) this.send(c, MsgType.DATA, seq, 0, { objpath: o.path, objid: o.id, objtype: o.typeId, signature: o.signature });
        this.status(c, seq, 0, found.length ? Status.OK : Status.NOT_FOUND);
        return;
      }
      case MsgType.ADD_OBJECT: {
        if (attrs.objpath !== undefined && this.paths().includes(attrs.objpath)) {
          this.status(c, seq, 0, Status.INVALID_ARGUMENT);
          return;
        }
        const obj: Obj = { id: this.newId(), owner: c, subscribers: new Set() };
        if (attrs.objpath !== undefined) Object.assign(obj, { path: attrs.objpath, typeId: this.newId(), signature: attrs.signature ?? {} });
        this.objects.set(obj.id, obj);
        this.send(c, MsgType.DATA, seq, 0, obj.path ? { objid: obj.id, objtype: obj.typeId } : { objid: obj.id });
        this.status(c, seq, 0, Status.OK);
        if (obj.path) this.deliverEvent("ubus.object.add", { id: obj.id | 0, path: obj.path });
        return;
      }
      case MsgType.REMOVE_OBJECT: {
        const obj = this.objects.get(attrs.objid ?? 0);
        if (!obj || obj.owner !== c) {
          this.status(c, seq, 0, Status.NOT_FOUND);
          return;
        }
        this.send(c, MsgType.DATA, seq, 0, { objid: obj.id, objtype: obj.typeId });
        this.status(c, seq, 0, Status.OK);
        this.removeObject(obj);
        return;
      }
      case MsgType.INVOKE:
        this.invoke(c, msg);
        return;
      case MsgType.STATUS:
      case MsgType.DATA: {
        // A reply from an object's owner (or a subscriber): to the caller, coming from the object.
        const to = this.clients.get(msg.peer);
        if (to) this.send(to, msg.type, seq, attrs.objid ?? 0, { ...attrs, data: attrs.data });
        return;
      }
      case MsgType.SUBSCRIBE:
      case MsgType.UNSUBSCRIBE: {
        const target = this.objects.get(attrs.target ?? 0);
        if (!target) {
          this.status(c, seq, 0, Status.NOT_FOUND);
          return;
        }
        const had = target.subscribers.size > 0;
        if (msg.type === MsgType.SUBSCRIBE) target.subscribers.add(attrs.objid ?? 0);
        else target.subscribers.delete(attrs.objid ?? 0);
        this.status(c, seq, 0, Status.OK);
        if (had !== target.subscribers.size > 0) this.active(target);
        return;
      }
      case MsgType.NOTIFY:
        this.notify(c, msg);
        return;
    }
  }

  private active(target: Obj): void {
    if (target.owner) this.send(target.owner, MsgType.NOTIFY, ++target.owner.seq, 0, { objid: target.id, active: target.subscribers.size > 0 });
  }

  private invoke(c: Client, msg: UbusMessage): void {
    const { seq, attrs } = msg;
    const id = attrs.objid ?? msg.peer;
    if (id === SYSTEM_OBJECT) {
      this.system(c, seq, attrs.method ?? "", attrs.data ? decodeTable(attrs.data) : {});
      return;
    }
    const obj = this.objects.get(id);
    if (!obj) {
      this.status(c, seq, id, Status.NOT_FOUND, { objid: id });
      return;
    }
    if (obj.owner) {
      this.send(obj.owner, MsgType.INVOKE, seq, c.id, {
        noReply: attrs.noReply || undefined,
        objid: obj.id,
        method: attrs.method,
        user: this.user,
        group: this.group,
        data: attrs.data ?? {},
      });
      return;
    }
    void this.runScripted(c, seq, obj, attrs.method ?? "", attrs.data ? decodeTable(attrs.data) : {});
  }

  private async runScripted(c: Client, seq: number, obj: Obj, method: string, data: BlobmsgTable): Promise<void> {
    const fn = obj.scripted?.[method];
    let status: number = Status.OK;
    if (!fn) status = Status.METHOD_NOT_FOUND;
    else {
      try {
        const out = await fn(data, { user: this.user, group: this.group });
        if (out) this.send(c, MsgType.DATA, seq, obj.id, { objid: obj.id, data: out });
      } catch (err) {
        status = err instanceof UbusError ? err.status : Status.UNKNOWN_ERROR;
      }
    }
    this.status(c, seq, obj.id, status, { objid: obj.id });
  }

  private system(c: Client, seq: number, method: string, data: BlobmsgTable): void {
    if (method === "register" && typeof data.object === "number" && typeof data.pattern === "string") {
      this.events.set(data.object >>> 0, data.pattern);
    } else if (method === "send" && typeof data.id === "string") {
      this.deliverEvent(data.id, (data.data as BlobmsgTable | undefined) ?? {});
    } else {
      this.status(c, seq, SYSTEM_OBJECT, Status.INVALID_ARGUMENT);
      return;
    }
    this.status(c, seq, SYSTEM_OBJECT, Status.OK);
  }

  private deliverEvent(type: string, data: BlobmsgTable): void {
    for (const [id, pattern] of this.events) {
      const matches = pattern === type || (pattern.endsWith("*") && type.startsWith(pattern.slice(0, -1)));
      const owner = this.objects.get(id)?.owner;
      if (matches && owner) this.send(owner, MsgType.INVOKE, ++owner.seq, 0, { objid: id, method: type, data });
    }
  }

  private notify(c: Client, msg: UbusMessage): void {
    const { seq, attrs } = msg;
    const obj = this.objects.get(attrs.objid ?? 0);
    if (!obj || obj.owner !== c) {
      if (!attrs.noReply) this.status(c, seq, 0, Status.NOT_FOUND);
      return;
    }
    const reached: number[] = [];
    for (const subId of obj.subscribers) {
      const owner = this.objects.get(subId)?.owner;
      if (!owner) continue;
      this.send(owner, MsgType.INVOKE, seq, c.id, {
        noReply: attrs.noReply || undefined,
        objid: subId,
        method: attrs.method,
        user: this.user,
        group: this.group,
        data: attrs.data ?? {},
      });
      reached.push(subId);
    }
    if (!attrs.noReply) this.send(c, MsgType.STATUS, seq, obj.id, { objid: obj.id, subscribers: reached, status: Status.OK });
  }

  private removeObject(obj: Obj): void {
    this.objects.delete(obj.id);
    this.events.delete(obj.id);
    for (const subId of obj.subscribers) {
      const owner = this.objects.get(subId)?.owner;
      if (owner) this.send(owner, MsgType.UNSUBSCRIBE, ++owner.seq, 0, { objid: subId, target: obj.id });
    }
    for (const target of this.objects.values()) {
      if (target.subscribers.delete(obj.id) && target.subscribers.size === 0) this.active(target);
    }
    if (obj.path) this.deliverEvent("ubus.object.remove", { id: obj.id | 0, path: obj.path });
  }

  private drop(c: Client): void {
    if (this.clients.get(c.id) !== c) return;
    this.clients.delete(c.id);
    for (const obj of [...this.objects.values()]) if (obj.owner === c) this.removeObject(obj);
  }
}
