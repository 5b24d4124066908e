// Servers: import a wg-quick file (paste, file, QR image), keys made on the router, and the
// failover list (reorder, rename, remove).
import { css, html, LitElement, nothing } from "lit";
import type { ServerView } from "../../service/vpn-service.ts";
import { ApiFailure, api, keepIfReachable } from "../api.ts";
import { decodeQrImage } from "../qr.ts";
import { shared } from "../styles.ts";

export class ServersView extends LitElement {
  static override properties = {
    servers: { state: true },
    text: { state: true },
    name: { state: true },
    error: { state: true },
    message: { state: true },
    publicKey: { state: true },
    busy: { state: true },
  };
  declare servers: ServerView[];
  declare text: string;
  declare name: string;
  declare error: { field?: string; message: string } | null;
  declare message: string;
  declare publicKey: string;
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
    `,
  ];

  constructor() {
    super();
    this.servers = [];
    this.text = "";
    this.name = "";
    this.error = null;
    this.message = "";
    this.publicKey = "";
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

  private async run(fn: () => Promise<void>) {
    this.busy = true;
    this.error = null;
    this.message = "";
    try {
      await fn();
    } catch (err) {
      this.error = err instanceof ApiFailure ? { message: err.message, ...(err.field ? { field: err.field } : {}) } : { message: (err as Error).message };
    } finally {
      this.busy = false;
    }
  }

  private importText() {
    return this.run(async () => {
      const r = await api<{ added: string[]; warnings: string[] }>("import_config", { text: this.text, ...(this.name.trim() ? { name: this.name.trim() } : {}) });
      await keepIfReachable();
      this.message = [`Added: ${r.added.join(", ")}`, ...r.warnings].join(". ");
      this.text = "";
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
    return this.run(async () => {
      this.text = await decodeQrImage(file);
      this.message = "QR code read: check the text below, then import it.";
    });
  }

  private generateKeys() {
    return this.run(async () => {
      this.publicKey = (await api<{ publicKey: string }>("generate_keys", {})).publicKey;
    });
  }

  private move(s: ServerView, position: number) {
    return this.run(async () => {
      this.servers = (await api<{ servers: ServerView[] }>("move_server", { name: s.name, position })).servers;
    });
  }

  private rename(s: ServerView) {
    const next = prompt(`New name for ${s.name}`, s.name);
    if (!next || next === s.name) return;
    return this.run(async () => {
      this.servers = (await api<{ servers: ServerView[] }>("rename_server", { name: s.name, new_name: next })).servers;
    });
  }

  private removeServer(s: ServerView) {
    if (!confirm(`Remove ${s.name}?`)) return;
    return this.run(async () => {
      this.servers = (await api<{ servers: ServerView[] }>("remove_server", { name: s.name })).servers;
    });
  }

  override render() {
    const last = this.servers.length - 1;
    return html`
      <section class="card">
        <h2>Servers (failover order)</h2>
        ${this.servers.length === 0 ? html`<p class="muted">No servers yet: import your provider's configuration below.</p>` : nothing}
        <ol>
          ${this.servers.map(
            (s, i) => html`<li data-server=${s.name}>
              <div><span class="name">${s.name}</span> ${s.active ? html`<span class="active">· in use</span>` : nothing}</div>
              <div class="muted">${s.endpoint}</div>
              <div class="row">
                <button ?disabled=${i === 0 || this.busy} @click=${() => this.move(s, i - 1)} aria-label="Move ${s.name} up">↑</button>
                <button ?disabled=${i === last || this.busy} @click=${() => this.move(s, i + 1)} aria-label="Move ${s.name} down">↓</button>
                <button ?disabled=${this.busy} @click=${() => this.rename(s)}>Rename</button>
                <button ?disabled=${this.busy} @click=${() => this.removeServer(s)}>Remove</button>
              </div>
            </li>`,
          )}
        </ol>
      </section>
      <section class="card">
        <h2>Import a WireGuard configuration</h2>
        <div class="sources">
          <div><label for="file">From a .conf file</label><input id="file" type="file" accept=".conf,text/plain" @change=${this.readFile} /></div>
          <div><label for="qr">From a QR code image</label><input id="qr" type="file" accept="image/*" @change=${this.readQr} /></div>
        </div>
        <label for="conf">Or paste it</label>
        <textarea id="conf" spellcheck="false" aria-invalid=${this.error ? "true" : "false"} aria-describedby="import-error" .value=${this.text} @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}></textarea>
        <label for="name">Name (optional)</label>
        <input id="name" type="text" maxlength="64" .value=${this.name} @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)} />
        <div id="import-error" role="alert">
          ${this.error ? html`<p class="error" data-field=${this.error.field ?? ""}>${this.error.message}</p>` : nothing}
        </div>
        ${this.message ? html`<p class="note" role="status">${this.message}</p>` : nothing}
        <div class="row"><button class="primary" ?disabled=${this.busy || !this.text.trim()} @click=${this.importText}>Import</button></div>
        <p class="note">Commands in the file (PostUp and the like) are refused: the router never runs them.</p>
      </section>
      <section class="card">
        <h2>Keys</h2>
        <p class="muted">Give the router's public key to your VPN provider, or make a new key pair here (the servers registered with the old key then need the new one). The private key never leaves the router.</p>
        <div class="row"><button ?disabled=${this.busy} @click=${this.generateKeys}>Generate a new key pair</button></div>
        ${
          this.publicKey
            ? html`<p>Public key: <code data-public-key>${this.publicKey}</code></p>
                <button @click=${() => navigator.clipboard?.writeText(this.publicKey)}>Copy public key</button>`
            : nothing
        }
      </section>
    `;
  }
}
customElements.define("servers-view", ServersView);
