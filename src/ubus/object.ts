// Objects this connection serves, as libubus does: named objects with a signature, and the
// anonymous ones behind event listeners and subscribers. Answers INVOKE with DATA then STATUS.
import { decodeTable } from "./blobmsg-decode.ts";
import type { BlobmsgTable, BlobmsgType } from "./blobmsg-types.ts";
import { BlobError, Status, UbusError } from "./errors.ts";
import { type OutAttrs, MsgType, type UbusMessage } from "./message.ts";

export interface UbusRequest {
  object: UbusObject;
  method: string;
  data: BlobmsgTable;
  /** Who called, as ubusd adds it (UBUS_ATTR_USER / UBUS_ATTR_GROUP). */
  user?: string;
  group?: string;
  /** The caller's client id. */
  peer: number;
  /** Sends one DATA reply now; a handler may call it several times before it returns. */
  reply(data: BlobmsgTable): void;
}

/** Returns the reply data (or nothing), possibly later: a returned promise is a deferred reply. Throw UbusError for a status. */
export type UbusHandler = (req: UbusRequest) => BlobmsgTable | undefined | Promise<BlobmsgTable | undefined>;

export interface UbusMethod {
  name: string;
  /** Argument name -> blobmsg type, published in the signature (what `ubus -v list` shows). */
  args?: Record<string, BlobmsgType>;
  handler: UbusHandler;
}

export interface RequestOptions {
  timeoutMs?: number;
  /** A NOTIFY: completes when every subscriber ubusd names has answered. */
  notify?: boolean;
  /** Sees each DATA reply as it arrives, before any other message is handled. */
  onData?: (reply: UbusMessage) => void;
}

/** What an object needs from its connection. */
export interface ObjectHost {
  send(type: number, seq: number, peer: number, attrs: OutAttrs): void;
  request(type: number, peer: number, attrs: OutAttrs, opts?: RequestOptions): Promise<UbusMessage[]>;
  /** Routes INVOKEs for obj.id to obj; called as soon as ubusd has given the id. */
  attach(obj: UbusObject): void;
}

export interface NotifyOptions {
  /** Wait until every subscriber has answered (libubus ubus_notify with a timeout); default: fire and forget. */
  wait?: boolean;
  timeoutMs?: number;
}

export function signatureOf(methods: Iterable<UbusMethod>): BlobmsgTable {
  const sig: BlobmsgTable = {};
  for (const m of methods) sig[m.name] = { ...m.args };
  return sig;
}

export interface ObjectSpec {
  /** Named objects have a path and a signature; event listeners and subscribers have neither. */
  path?: string;
  methods?: readonly UbusMethod[];
  /** Answers any method: what event listeners and subscribers use. */
  fallback?: UbusHandler;
  /** Runs after every ADD_OBJECT, the first and those after a reconnect (register an event, subscribe). */
  afterAdd?: (obj: UbusObject) => Promise<void>;
  /** ubusd's NOTIFY + ACTIVE: the first subscriber came (true) or the last left (false). */
  onSubscribers?: (active: boolean) => void;
  /** ubusd's UNSUBSCRIBE to a subscriber: the object it watched is gone. */
  onTargetGone?: () => void;
}

export class UbusObject {
  /** ubusd's id for it; changes when the connection is re-established. */
  id = 0;
  typeId: number | undefined;
  /** Whether anybody is subscribed (ubusd tells the owner with NOTIFY + ACTIVE). */
  hasSubscribers = false;
  readonly path: string | undefined;
  readonly methods: Map<string, UbusMethod>;

  constructor(
    private readonly host: ObjectHost,
    private readonly spec: ObjectSpec,
  ) {
    this.path = spec.path;
    this.methods = new Map((spec.methods ?? []).map((m) => [m.name, m]));
  }

  /** ADD_OBJECT: path and signature for a named object, nothing for an anonymous one. */
  async add(): Promise<void> {
    const attrs: OutAttrs = this.path === undefined ? {} : { objpath: this.path, signature: signatureOf(this.methods.values()) };
    // Attached while the DATA reply is handled: an INVOKE or NOTIFY may follow in the same read.
    await this.host.request(MsgType.ADD_OBJECT, 0, attrs, {
      onData: (reply) => {
        this.id = reply.attrs.objid ?? 0;
        this.typeId = reply.attrs.objtype;
        this.host.attach(this);
      },
    });
    await this.spec.afterAdd?.(this);
  }

  async remove(): Promise<void> {
    await this.host.request(MsgType.REMOVE_OBJECT, 0, { objid: this.id });
  }

  /** NOTIFY to the subscribers; `type` arrives as their method name. */
  async notify(type: string, data: BlobmsgTable = {}, opts: NotifyOptions = {}): Promise<void> {
    const attrs: OutAttrs = { objid: this.id, method: type, data };
    if (!opts.wait) attrs.noReply = true;
    const sent = this.host.request(MsgType.NOTIFY, this.id, attrs, { notify: true, timeoutMs: opts.timeoutMs });
    if (opts.wait) await sent;
  }

  setActive(active: boolean): void {
    this.hasSubscribers = active;
    this.spec.onSubscribers?.(active);
  }

  targetGone(): void {
    this.spec.onTargetGone?.();
  }

  /**
   * An INVOKE from ubusd: run the handler, answer DATA* then STATUS (nothing if the caller asked
   * for no reply). A handler that returns synchronously is answered synchronously, so the STATUS
   * leaves before anything the handler set off.
   */
  invoked(msg: UbusMessage): void | Promise<void> {
    const { seq, peer } = msg;
    const { method = "", noReply, objid = this.id } = msg.attrs;
    const send = (type: number, attrs: OutAttrs) => {
      if (!noReply) this.host.send(type, seq, peer, attrs);
    };
    const reply = (data: BlobmsgTable) => send(MsgType.DATA, { objid, data });
    const done = (status: number) => send(MsgType.STATUS, { status, objid });
    const status = this.run(msg, method, reply);
    if (typeof status === "number") done(status);
    else return status.then(done);
  }

  private run(msg: UbusMessage, method: string, reply: (data: BlobmsgTable) => void): number | Promise<number> {
    const handler = this.methods.get(method)?.handler ?? this.spec.fallback;
    if (!handler) return Status.METHOD_NOT_FOUND;
    if (!msg.attrs.data) return Status.INVALID_ARGUMENT;
    const ok = (result: BlobmsgTable | undefined) => {
      if (result) reply(result);
      return Status.OK;
    };
    const failed = (err: unknown) => {
      if (err instanceof UbusError) return err.status;
      return err instanceof BlobError ? Status.INVALID_ARGUMENT : Status.UNKNOWN_ERROR;
    };
    try {
      const { user, group } = msg.attrs;
      const result = handler({ object: this, method, data: decodeTable(msg.attrs.data), user, group, peer: msg.peer, reply });
      return result instanceof Promise ? result.then(ok, failed) : ok(result);
    } catch (err) {
      return failed(err);
    }
  }
}
