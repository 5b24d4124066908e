// Servers: import a wg-quick file (paste, file, QR image), keys made on the router, and the
// failover list (reorder, rename, remove).
import { css, html, LitElement, nothing } from "lit";
import type { ServerView } from "../../service/vpn-service.ts";
import { ApiFailure, api, keepIfReachable } from "../api.ts";
import { decodeQrImage } from "../qr.ts";
import { shared } from "../styles.ts";

/** Which card an error or a message belongs to, so it shows next to what caused it. */
type Card = "list" | "import" | "keys";
interface Problem {
  card: Card;
  message: string;
  code?: string;
  field?: string;
}

export class ServersView extends LitElement {
  static override properties = {
    servers: { state: true },
    text: { state: true },
    name: { state: true },
    problem: { state: true },
    message: { state: true },
    publicKey: { state: true },
    renaming: { state: true },
    copied: { state: true },
    inUse: { attribute: false },
    busy: { state: true },
  };
  declare servers: ServerView[];
  declare text: string;
  declare name: string;
  declare problem: Problem | null;
  declare message: string;
  declare publicKey: string;
  /** The server whose name is being edited. */
  declare renaming: string | null;
  declare copied: boolean;
  /** The server the tunnel uses now, from the live status (it changes on failover). */
  declare inUse: string | null;
  declare busy: boolean;

  static override styles = [
    shared,
    css`
      ol { list-style: none; padding: 0; margin: 0; }
      li { border-top: 1px solid var(--line); padding: 0.6rem 0; }
      li:first-child { border-top: 0; }
      .name { font-weight: 600; }
      .active { color: var(--ok); font-weight: 600; }
      .sources { display: grid; gap: 0.5rem; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); }
      input[type="file"] { max-width: 100%; }
      li form label { margin-top: 0; }
      li .row { margin-top: 0.35rem; }
      li .row button { padding-inline: 0.7rem; }
      li .row [data-move] { min-width: 2.75rem; }
    `,
  ];

  constructor() {
    super();
    this.servers = [];
    this.text = "";
    this.name = "";
    this.problem = null;
    this.message = "";
    this.publicKey = "";
    this.renaming = null;
    this.copied = false;
    this.inUse = null;
    this.busy = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    const [list, status] = await Promise.all([api<{ servers: ServerView[] }>("list_servers"), api<{ publicKey: string | null }>("status")]);
    this.servers = list.servers;
    this.publicKey = status.publicKey ?? "";
  }

  private async run(card: Card, fn: () => Promise<void>) {
    this.busy = true;
    this.problem = null;
    this.message = "";
    try {
      await fn();
    } catch (err) {
      this.problem =
        err instanceof ApiFailure
          ? { card, message: err.message, code: err.code, ...(err.field ? { field: err.field } : {}) }
          : { card, message: (err as Error).message };
    } finally {
      this.busy = false;
    }
  }

  private importText(replace = false) {
    return this.run("import", async () => {
      const r = await api<{ added: string[]; warnings: string[] }>("import_config", {
        text: this.text,
        ...(this.name.trim() ? { name: this.name.trim() } : {}),
        ...(replace ? { replace: true } : {}),
      });
      await keepIfReachable();
      this.message = [`Added: ${r.added.join(", ")}`, ...r.warnings].join(". ");
      this.text = "";
      this.name = "";
      await this.load();
    });
  }

  private async readFile(e: Event) {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    this.text = await file.text();
    if (!this.name) this.name = file.name.replace(/\.conf$/i, "");
  }

  private readQr(e: Event) {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    return this.run("import", async () => {
      this.text = await decodeQrImage(file);
      this.message = "QR code read: check the text below, then import it.";
    });
  }

  private generateKeys() {
    return this.run("keys", async () => {
      this.publicKey = (await api<{ publicKey: string }>("generate_keys", {})).publicKey;
      this.copied = false;
    });
  }

  private copyPublicKey() {
    // The clipboard needs a secure context: over plain http on the LAN it may be missing.
    return this.run("keys", async () => {
      if (!navigator.clipboard) throw new Error("This browser does not allow copying here: select the key and copy it by hand.");
      await navigator.clipboard.writeText(this.publicKey);
      this.copied = true;
    });
  }

  /** A list change answers with the new list; focus follows the server that was acted on. */
  private async changeList(op: string, body: Record<string, unknown>, focus?: { server: string; control: string }) {
    await this.run("list", async () => {
      this.servers = (await api<{ servers: ServerView[] }>(op, body)).servers;
      await keepIfReachable();
      this.renaming = null;
    });
    // after the buttons are enabled again: a disabled one cannot take focus
    if (focus && !this.problem) await this.focusControl(focus.server, focus.control);
  }

  private async focusControl(server: string, control: string) {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-server="${CSS.escape(server)}"] ${control}`)?.focus();
  }

  private move(s: ServerView, position: number, dir: "up" | "down") {
    // Keep focus on the same button so the server can be moved again with the keyboard; at an
    // end that button is disabled, so the other one takes it.
    const edge = position === 0 || position === this.servers.length - 1;
    const button = edge ? (dir === "up" ? "down" : "up") : dir;
    return this.changeList("move_server", { name: s.name, position }, { server: s.name, control: `[data-move="${button}"]` });
  }

  private async startRename(s: ServerView) {
    this.renaming = s.name;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>("#rename")?.select();
  }

  private async stopRenaming(s: ServerView) {
    this.renaming = null;
    await this.focusControl(s.name, "[data-rename]");
  }

  private rename(e: SubmitEvent, s: ServerView) {
    e.preventDefault();
    const next = String(new FormData(e.target as HTMLFormElement).get("new_name") ?? "").trim();
    if (!next || next === s.name) return this.stopRenaming(s);
    return this.changeList("rename_server", { name: s.name, new_name: next }, { server: next, control: "[data-rename]" });
  }

  private removeServer(s: ServerView) {
    if (!confirm(`Remove ${s.name}?`)) return;
    return this.changeList("remove_server", { name: s.name });
  }

  private problemIn(card: Card) {
    const p = this.problem;
    if (p?.card !== card) return nothing;
    // Most messages name the field they are about; name it when one does not.
    const text = p.field && !p.message.includes(p.field) ? `${p.field}: ${p.message}` : p.message;
    return html`<p class="error" data-field=${p.field ?? ""}>${text}</p>`;
  }

  private renderServer(s: ServerView, i: number) {
    const last = this.servers.length - 1;
    if (this.renaming === s.name) {
      return html`<li data-server=${s.name}>
        <form @submit=${(e: SubmitEvent) => this.rename(e, s)} @keydown=${(e: KeyboardEvent) => e.key === "Escape" && this.stopRenaming(s)}>
          <label for="rename">New name for ${s.name}</label>
          <input id="rename" name="new_name" type="text" maxlength="64" required .value=${s.name} />
          <div class="row"><button class="primary" type="submit" ?disabled=${this.busy}>Save</button><button type="button" @click=${() => this.stopRenaming(s)}>Cancel</button></div>
        </form>
      </li>`;
    }
    return html`<li data-server=${s.name}>
      <div><span class="name">${s.name}</span> ${s.name === this.inUse ? html`<span class="active">· in use</span>` : nothing}</div>
      <div class="muted">${s.endpoint}</div>
      <div class="row">
        <button data-move="up" ?disabled=${i === 0 || this.busy} @click=${() => this.move(s, i - 1, "up")} aria-label="Move ${s.name} up">↑</button>
        <button data-move="down" ?disabled=${i === last || this.busy} @click=${() => this.move(s, i + 1, "down")} aria-label="Move ${s.name} down">↓</button>
        <button data-rename ?disabled=${this.busy} @click=${() => this.startRename(s)} aria-label="Rename ${s.name}">Rename</button>
        <button ?disabled=${this.busy} @click=${() => this.removeServer(s)} aria-label="Remove ${s.name}">Remove</button>
      </div>
    </li>`;
  }

  override render() {
    const p = this.problem;
    const keyConflict = p?.card === "import" && p.code === "conflict" && p.field === "Interface.PrivateKey";
    return html`
      <section class="card">
        <h2>Servers (failover order)</h2>
        ${this.servers.length === 0 ? html`<p class="muted">No servers yet: import your provider's configuration below.</p>` : nothing}
        <ol>${this.servers.map((s, i) => this.renderServer(s, i))}</ol>
        <div role="alert">${this.problemIn("list")}</div>
      </section>
      <section class="card">
        <h2>Import a WireGuard configuration</h2>
        <div class="sources">
          <div><label for="file">From a .conf file</label><input id="file" type="file" accept=".conf,text/plain" @change=${this.readFile} /></div>
          <div><label for="qr">From a QR code image</label><input id="qr" type="file" accept="image/*" @change=${this.readQr} /></div>
        </div>
        <label for="conf">Or paste it</label>
        <textarea id="conf" spellcheck="false" aria-invalid=${p?.card === "import" ? "true" : "false"} aria-describedby="import-error" .value=${this.text} @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}></textarea>
        <div id="import-error" role="alert">${this.problemIn("import")}</div>
        ${
          keyConflict
            ? html`<div class="row"><button ?disabled=${this.busy} @click=${() => this.importText(true)}>Replace all servers with this file</button></div>`
            : nothing
        }
        <label for="name">Name (optional)</label>
        <input id="name" type="text" maxlength="64" .value=${this.name} @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)} />
        ${this.message ? html`<p class="note" role="status">${this.message}</p>` : nothing}
        <div class="row"><button class="primary" ?disabled=${this.busy || !this.text.trim()} @click=${() => this.importText()}>${this.busy ? "Importing…" : "Import"}</button></div>
        <p class="note">Commands in the file (PostUp and the like) are refused: the router never runs them.</p>
      </section>
      <section class="card">
        <h2>Keys</h2>
        <p class="muted">Give the router's public key to your VPN provider, or make a new key pair here (the servers registered with the old key then need the new one). The private key never leaves the router.</p>
        <div class="row"><button ?disabled=${this.busy} @click=${this.generateKeys}>Generate a new key pair</button></div>
        <div role="alert">${this.problemIn("keys")}</div>
        ${
          this.publicKey
            ? html`<p>Public key: <code data-public-key>${this.publicKey}</code></p>
                <button @click=${this.copyPublicKey}>${this.copied ? "Copied" : "Copy public key"}</button>`
            : nothing
        }
      </section>
    `;
  }
}
customElements.define("servers-view", ServersView);
