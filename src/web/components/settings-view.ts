// Kill switch, DNS protection, IPv6: what the policy locks is shown disabled, with the reason.
import { css, html, LitElement, nothing } from "lit";
import type { Settings } from "../../core/config.ts";
import { ApiFailure, api } from "../api.ts";
import { lockNote } from "../lock-note.ts";
import { shared } from "../styles.ts";

type Loaded = Settings & { locked: string[]; reason: string };

export class SettingsView extends LitElement {
  static override properties = { settings: { state: true }, error: { state: true }, busy: { state: true }, forcedKillSwitch: { attribute: false }, current: { attribute: false } };
  declare settings: Loaded | null;
  /** The kill switch the policy imposes (from the live status), shown while it is locked. */
  declare forcedKillSwitch: boolean | undefined;
  /** The settings in the live status: when they change (a rollback, another browser), reload. */
  declare current: Settings | undefined;
  declare error: string;
  declare busy: boolean;

  static override styles = [
    shared,
    css`
      .check { display: flex; gap: 0.6rem; align-items: flex-start; margin: 0.75rem 0; }
      .check input { width: 1.3rem; height: 1.3rem; margin-top: 0.15rem; flex: none; }
      .check label { margin: 0; }
    `,
  ];

  constructor() {
    super();
    this.settings = null;
    this.error = "";
    this.busy = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  override willUpdate(changed: Map<string, unknown>) {
    const before = changed.get("current") as Settings | undefined;
    if (before && !this.busy && JSON.stringify(before) !== JSON.stringify(this.current)) void this.load();
  }

  private async load() {
    this.settings = await api<Loaded>("get_settings");
  }

  private async change(patch: Partial<Settings>) {
    this.busy = true;
    this.error = "";
    try {
      await api("set_settings", patch);
      this.dispatchEvent(new CustomEvent("applied", { bubbles: true, composed: true }));
    } catch (err) {
      this.error = err instanceof ApiFailure ? err.message : String(err);
    } finally {
      this.busy = false;
      await this.load();
    }
  }

  override render() {
    const s = this.settings;
    if (!s) return html`<p class="muted">Loading…</p>`;
    const locked = (key: keyof Settings) => s.locked.includes(key);
    const lockedWhy = (key: keyof Settings) => (locked(key) ? lockNote(s.reason) : nothing);
    return html`
      <section class="card">
        <h2>Settings</h2>
        <div class="check">
          <input id="ks" type="checkbox" .checked=${locked("killSwitch") ? (this.forcedKillSwitch ?? s.killSwitch) : s.killSwitch} ?disabled=${locked("killSwitch") || this.busy} @change=${(e: Event) => this.change({ killSwitch: (e.target as HTMLInputElement).checked })} />
          <div>
            <label for="ks">Kill switch</label>
            <p class="note">While the VPN is on but the tunnel is down, hold all traffic instead of letting it go out unprotected.</p>
            ${lockedWhy("killSwitch")}
          </div>
        </div>
        <div class="check">
          <input id="dns" type="checkbox" .checked=${s.dnsProtection} ?disabled=${locked("dnsProtection") || this.busy} @change=${(e: Event) => this.change({ dnsProtection: (e.target as HTMLInputElement).checked })} />
          <div>
            <label for="dns">DNS protection</label>
            <p class="note">Answer every device's DNS on the router and send it only through the tunnel, even lookups aimed at other resolvers.</p>
            ${lockedWhy("dnsProtection")}
          </div>
        </div>
        <label for="ipv6">IPv6</label>
        <select id="ipv6" .value=${s.ipv6} ?disabled=${locked("ipv6") || this.busy} @change=${(e: Event) => this.change({ ipv6: (e.target as HTMLSelectElement).value as Settings["ipv6"] })}>
          <option value="block">Block IPv6 while the VPN is on</option>
          <option value="tunnel">Send IPv6 through the tunnel</option>
        </select>
        ${lockedWhy("ipv6")}
        <p class="note" role="status">${this.busy ? "Applying…" : ""}</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      </section>
    `;
  }
}
customElements.define("settings-view", SettingsView);
