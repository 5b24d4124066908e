// Plays ubusd's side of a recorded connection (ubus-raw/SCENARIO/conn-N.jsonl) on a unix socket:
// writes each recorded S>C chunk once every C>S chunk before it has arrived, and keeps what our
// client sent, to be compared message by message with what the real client sent.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MessageFramer } from "../../src/ubus/message.ts";
import { hex, vectorText } from "./vectors.ts";

export interface Chunk {
  t: number;
  dir: "S>C" | "C>S";
  hex?: string;
  fds?: number;
  eof?: boolean;
}

export const loadConn = (scenario: string, n: number): Chunk[] =>
  vectorText(`ubus-raw/${scenario}/conn-${n}.jsonl`)
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Chunk);

/** The messages in a byte stream, as hex. */
export const messagesHex = (bytes: Buffer): string[] => new MessageFramer().push(bytes).map((m) => m.toString("hex"));

/** What `ubus` printed for each command of a scenario (.cmds): the lines between "$ ..." and "(exit N)". */
export function cliOutputs(scenario: string): { command: string; output: string; exit: number }[] {
  const blocks = vectorText(`ubus-raw/${scenario}.cmds`).split(/^\$ /m).slice(1);
  return blocks.map((b) => {
    const lines = b.split("\n");
    const exitAt = lines.findIndex((l) => /^\(exit \d+\)$/.test(l));
    return { command: lines[0]!, output: lines.slice(1, exitAt).join("\n"), exit: Number(/\d+/.exec(lines[exitAt]!)![0]) };
  });
}

export class ReplayServer {
  readonly path: string;
  private readonly dir: string;
  private server!: Server;
  private sock: Socket | undefined;
  private received = Buffer.alloc(0);
  private index = 0;
  private consumed = 0;
  private clientEnded = false;
  private waiters: (() => void)[] = [];

  private constructor(readonly chunks: Chunk[]) {
    this.dir = mkdtempSync(join(tmpdir(), "ubus-replay-"));
    this.path = join(this.dir, "ubus.sock");
  }

  static async start(chunks: Chunk[]): Promise<ReplayServer> {
    const r = new ReplayServer(chunks);
    r.server = createServer((sock) => {
      r.sock = sock;
      sock.on("data", (d: Buffer) => {
        r.received = Buffer.concat([r.received, d]);
        r.pump();
      });
      sock.on("end", () => {
        r.clientEnded = true;
        r.pump();
        sock.end();
      });
      sock.on("error", () => {});
      r.pump();
    });
    await new Promise<void>((res) => r.server.listen(r.path, res));
    return r;
  }

  /** The C>S bytes the real client sent. */
  get expected(): Buffer {
    return Buffer.concat(this.chunks.filter((c) => c.dir === "C>S" && c.hex).map((c) => hex(c.hex!)));
  }

  get sent(): Buffer {
    return this.received;
  }

  private pump(): void {
    while (this.sock && this.index < this.chunks.length) {
      const c = this.chunks[this.index]!;
      if (c.dir === "S>C") {
        this.sock.write(hex(c.hex!));
      } else if (c.eof) {
        if (!this.clientEnded) break;
      } else {
        const need = this.consumed + hex(c.hex!).length;
        if (this.received.length < need) break;
        this.consumed = need;
      }
      this.index++;
    }
    for (const w of this.waiters.splice(0)) w();
  }

  /** The next recorded chunk the script waits for from the client, if the script is waiting. */
  private blockedOn(): Chunk | undefined {
    const c = this.chunks[this.index];
    return c?.dir === "C>S" && this.received.length === this.consumed ? c : undefined;
  }

  private async until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`replay: timed out waiting for ${what} (at record ${this.index} of ${this.chunks.length})`);
      await new Promise<void>((res) => {
        this.waiters.push(res);
        setTimeout(res, 20);
      });
    }
  }

  /** Resolves when the script has played everything up to the client's next message, of this ubus message type. */
  expecting(msgType: number): Promise<void> {
    return this.until(() => {
      const c = this.blockedOn();
      return !!c?.hex && hex(c.hex)[1] === msgType;
    }, `a C>S message of type ${msgType}`);
  }

  /** Resolves when every record has been played (the client's EOF included). */
  finished(): Promise<void> {
    return this.until(() => this.index >= this.chunks.length, "the end of the recording");
  }

  async close(): Promise<void> {
    this.sock?.destroy();
    await new Promise((res) => this.server.close(res));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
