// A ubus client over the unix socket, speaking what libubus speaks: lookup, invoke, objects,
// subscriptions, events, wait-for; after ubusd restarts it reconnects and re-registers.
import { EventEmitter } from "node:events";
import { connect, type Socket } from "node:net";
import { decodeTable } from "./blobmsg-decode.ts";
import type { BlobmsgTable } from "./blobmsg-types.ts";
import { Status, UbusError } from "./errors.ts";
import { decodeMessage, encodeMessage, MessageFramer, MsgType, type OutAttrs, type UbusMessage } from "./message.ts";
import { type ObjectHost, type RequestOptions, type UbusHandler, type UbusMethod, UbusObject } from "./object.ts";

export const DEFAULT_SOCKET = "/var/run/ubus/ubus.sock";
/** ubusd's own object, which takes event registrations and events. */
export const SYSTEM_OBJECT = 1;

export interface UbusClientOptions {
  socketPath?: string;
  /** Per request unless a call says otherwise; the ubus CLI waits 30 s. */
  timeoutMs?: number;
  /** Reconnect after the socket closes (ubusd restarted); default true. */
  reconnect?: boolean;
  reconnectDelayMs?: number;
}

export interface CallOptions {
  timeoutMs?: number;
}

/** Argument name -> blobmsg type, per method. */
export type UbusSignature = Record<string, Record<string, number>>;

export interface UbusObjectInfo {
  path: string;
  id: number;
  typeId?: number;
  signature?: UbusSignature;
}

export interface Subscription {
  readonly object: UbusObject;
  /** The subscribed object's current id. */
  readonly targetId: number;
  unsubscribe(): Promise<void>;
}

export interface EventListener {
  readonly object: UbusObject;
  close(): Promise<void>;
}

/** The data of a blobmsg payload, or of a table given as JS. */
export type CallData = BlobmsgTable | Uint8Array;

interface Pending {
  peer: number;
  replies: UbusMessage[];
  resolve(replies: UbusMessage[]): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  /** NOTIFY waiting for these subscribers (undefined until ubusd names them). */
  subscribers?: Set<number>;
  notify: boolean;
  onData?: (reply: UbusMessage) => void;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Events: "disconnect" (socket lost), "reconnect" (objects and subscriptions restored),
 * "warning" (an Error that did not stop the connection: a message that did not parse, a
 * registration that could not be restored).
 */
export class UbusClient extends EventEmitter implements ObjectHost {
  readonly socketPath: string;
  /** Our client id, from ubusd's HELLO. */
  localId = 0;
  private socket: Socket | undefined;
  private seq = 0;
  private closing = false;
  private readonly pending = new Map<number, Pending>();
  private readonly byId = new Map<number, UbusObject>();
  private readonly registered = new Set<UbusObject>();
  private readonly timeoutMs: number;

  private constructor(private readonly opts: UbusClientOptions) {
    super();
    this.socketPath = opts.socketPath ?? DEFAULT_SOCKET;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  static async connect(opts: UbusClientOptions = {}): Promise<UbusClient> {
    const client = new UbusClient(opts);
    await client.open();
    return client;
  }

  get connected(): boolean {
    return this.socket !== undefined;
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const sock = connect(this.socketPath);
      const framer = new MessageFramer();
      let hello = false;
      const timer = setTimeout(() => sock.destroy(new UbusError(Status.TIMEOUT, "no HELLO from ubusd")), this.timeoutMs);
      sock.on("data", (chunk: Buffer) => {
        let frames: Buffer[];
        try {
          frames = framer.push(chunk);
        } catch (err) {
          sock.destroy(err as Error);
          return;
        }
        for (const frame of frames) {
          let msg: UbusMessage;
          try {
            msg = decodeMessage(frame);
          } catch (err) {
            this.emit("warning", err);
            continue;
          }
          if (!hello && msg.type === MsgType.HELLO) {
            hello = true;
            clearTimeout(timer);
            this.localId = msg.peer;
            this.socket = sock;
            resolve();
          } else if (hello) {
            this.dispatch(msg);
          }
        }
      });
      sock.on("error", () => {});
      sock.on("close", () => {
        clearTimeout(timer);
        if (!hello) {
          reject(new UbusError(Status.CONNECTION_FAILED, this.socketPath));
          return;
        }
        if (this.socket === sock) this.lost();
      });
    });
  }

  private lost(): void {
    this.socket = undefined;
    this.byId.clear();
    for (const [seq, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(seq);
      p.reject(new UbusError(Status.CONNECTION_FAILED, "connection to ubusd lost"));
    }
    if (this.closing) return;
    this.emit("disconnect");
    if (this.opts.reconnect !== false) void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    while (!this.closing) {
      await delay(this.opts.reconnectDelayMs ?? 1000);
      if (this.closing) return;
      try {
        await this.open();
      } catch {
        continue;
      }
      for (const obj of this.registered) {
        try {
          await obj.add();
        } catch (err) {
          this.emit("warning", err);
        }
      }
      this.emit("reconnect");
      return;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const sock = this.socket;
    if (!sock) return;
    const closed = new Promise((r) => sock.once("close", r));
    sock.end();
    await closed;
  }

  send(type: number, seq: number, peer: number, attrs: OutAttrs): void {
    this.socket?.write(encodeMessage(type, seq, peer, attrs));
  }

  private nextSeq(): number {
    do this.seq = (this.seq + 1) & 0xffff;
    while (this.seq === 0 || this.pending.has(this.seq));
    return this.seq;
  }

  /** Sends a request and collects its DATA replies until STATUS; a status other than OK rejects with UbusError. */
  request(type: number, peer: number, attrs: OutAttrs, opts: RequestOptions = {}): Promise<UbusMessage[]> {
    if (!this.socket) return Promise.reject(new UbusError(Status.CONNECTION_FAILED, "not connected to ubusd"));
    const seq = this.nextSeq();
    const msg = encodeMessage(type, seq, peer, attrs);
    if (attrs.noReply) {
      this.socket.write(msg);
      return Promise.resolve([]);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new UbusError(Status.TIMEOUT));
      }, opts.timeoutMs ?? this.timeoutMs);
      this.pending.set(seq, { peer, replies: [], resolve, reject, timer, notify: opts.notify ?? false, onData: opts.onData });
      this.socket!.write(msg);
    });
  }

  private dispatch(msg: UbusMessage): void {
    const { objid } = msg.attrs;
    switch (msg.type) {
      case MsgType.DATA:
      case MsgType.STATUS: {
        const p = this.pending.get(msg.seq);
        if (!p || !(p.peer === msg.peer || p.subscribers?.has(msg.peer))) return;
        if (msg.type === MsgType.DATA) {
          p.replies.push(msg);
          p.onData?.(msg);
        } else {
          this.status(msg.seq, p, msg);
        }
        return;
      }
      case MsgType.INVOKE: {
        const obj = objid === undefined ? undefined : this.byId.get(objid);
        if (obj) void obj.invoked(msg);
        else if (!msg.attrs.noReply) this.send(MsgType.STATUS, msg.seq, msg.peer, { status: Status.NOT_FOUND, objid });
        return;
      }
      case MsgType.NOTIFY:
        if (objid !== undefined && msg.attrs.active !== undefined) this.byId.get(objid)?.setActive(msg.attrs.active);
        return;
      case MsgType.UNSUBSCRIBE:
        if (objid !== undefined) this.byId.get(objid)?.targetGone();
        return;
    }
  }

  private status(seq: number, p: Pending, msg: UbusMessage): void {
    const status = msg.attrs.status ?? Status.UNKNOWN_ERROR;
    if (p.notify) {
      // ubusd first names the subscribers it forwarded to, then relays each one's STATUS.
      if (!p.subscribers) {
        p.subscribers = new Set(msg.attrs.subscribers ?? []);
        if (p.subscribers.size) return;
      } else {
        p.subscribers.delete(msg.peer);
        if (p.subscribers.size) return;
      }
    }
    clearTimeout(p.timer);
    this.pending.delete(seq);
    if (status === Status.OK) p.resolve(p.replies);
    else p.reject(new UbusError(status));
  }

  /** LOOKUP: every object (no path), one object, or a wildcard such as "network.interface.*". */
  async lookup(path?: string, opts: CallOptions = {}): Promise<UbusObjectInfo[]> {
    let replies: UbusMessage[];
    try {
      replies = await this.request(MsgType.LOOKUP, 0, path === undefined ? {} : { objpath: path }, opts);
    } catch (err) {
      if (path === undefined && err instanceof UbusError && err.status === Status.NOT_FOUND) return [];
      throw err;
    }
    return replies.map(({ attrs }) => ({
      path: attrs.objpath ?? "",
      id: attrs.objid ?? 0,
      typeId: attrs.objtype,
      signature: attrs.signature && (decodeTable(attrs.signature) as UbusSignature),
    }));
  }

  async lookupId(path: string, opts: CallOptions = {}): Promise<number> {
    const [found] = await this.lookup(path, opts);
    if (!found) throw new UbusError(Status.NOT_FOUND, path);
    return found.id;
  }

  /** INVOKE on an object id; resolves with every DATA reply. */
  async invoke(objectId: number, method: string, data: CallData = {}, opts: CallOptions = {}): Promise<BlobmsgTable[]> {
    const replies = await this.request(MsgType.INVOKE, objectId, { objid: objectId, method, data }, opts);
    return replies.map((m) => (m.attrs.data ? decodeTable(m.attrs.data) : {}));
  }

  /** `ubus call path method data`: the last DATA reply, undefined when the object sent none. */
  async call(path: string, method: string, data: CallData = {}, opts: CallOptions = {}): Promise<BlobmsgTable | undefined> {
    return (await this.invoke(await this.lookupId(path, opts), method, data, opts)).at(-1);
  }

  attach(obj: UbusObject): void {
    this.byId.set(obj.id, obj);
  }

  private async register(obj: UbusObject): Promise<UbusObject> {
    await obj.add();
    this.registered.add(obj);
    return obj;
  }

  /** Publishes an object with methods; `onSubscribers` hears when the first subscriber comes and the last goes. */
  addObject(path: string, methods: readonly UbusMethod[], opts: { onSubscribers?: (active: boolean) => void } = {}): Promise<UbusObject> {
    return this.register(new UbusObject(this, { path, methods, onSubscribers: opts.onSubscribers }));
  }

  async removeObject(obj: UbusObject): Promise<void> {
    this.registered.delete(obj);
    this.byId.delete(obj.id);
    if (this.socket) await obj.remove();
  }

  /** Subscribes to an object's notifications; after a reconnect the subscription is made again. */
  async subscribe(path: string, onNotify: (type: string, data: BlobmsgTable) => void, opts: { onRemove?: () => void } = {}): Promise<Subscription> {
    let targetId = 0;
    const handler: UbusHandler = (req) => {
      onNotify(req.method, req.data);
      return undefined;
    };
    const obj = new UbusObject(this, {
      fallback: handler,
      afterAdd: async (o) => {
        targetId = await this.lookupId(path);
        await this.request(MsgType.SUBSCRIBE, 0, { objid: o.id, target: targetId });
      },
      onTargetGone: opts.onRemove,
    });
    await this.register(obj);
    return {
      object: obj,
      get targetId() {
        return targetId;
      },
      unsubscribe: async () => {
        if (this.socket) await this.request(MsgType.UNSUBSCRIBE, 0, { objid: obj.id, target: targetId });
        await this.removeObject(obj);
      },
    };
  }

  /** Listens for events whose type matches `pattern` (exact, or a prefix ending in "*"). */
  async listen(pattern: string, onEvent: (type: string, data: BlobmsgTable) => void): Promise<EventListener> {
    const handler: UbusHandler = (req) => {
      onEvent(req.method, req.data);
      return undefined;
    };
    const obj = await this.register(
      new UbusObject(this, {
        fallback: handler,
        afterAdd: async (o) => {
          await this.invoke(SYSTEM_OBJECT, "register", { object: o.id | 0, pattern });
        },
      }),
    );
    return { object: obj, close: () => this.removeObject(obj) };
  }

  /** Sends an event, like `ubus send type data`. */
  async sendEvent(type: string, data: BlobmsgTable = {}): Promise<void> {
    await this.invoke(SYSTEM_OBJECT, "send", { id: type, data });
  }

  /** Resolves once every path is registered on the bus, like `ubus wait_for`. */
  async waitFor(paths: readonly string[], timeoutMs = this.timeoutMs): Promise<void> {
    const missing = new Set(paths);
    let arrived!: () => void;
    const allThere = new Promise<void>((r) => {
      arrived = r;
    });
    const seen = (path: unknown) => {
      if (typeof path === "string" && missing.delete(path) && !missing.size) arrived();
    };
    const listener = await this.listen("ubus.object.add", (_, data) => seen(data.path));
    let timer: NodeJS.Timeout | undefined;
    try {
      for (const o of await this.lookup()) seen(o.path);
      if (!missing.size) return;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new UbusError(Status.TIMEOUT, `waiting for ${[...missing].join(", ")}`)), timeoutMs);
      });
      await Promise.race([allThere, timedOut]);
    } finally {
      clearTimeout(timer);
      // Nobody needs to wait for the listener's removal; a lost connection removes it anyway.
      listener.close().catch(() => {});
    }
  }
}
