// The state at a glance: one big switch, the state in words and colour, and the details.
import { css, html, LitElement, nothing } from "lit";
import { STATE_LABEL } from "../../core/state-labels.ts";
import { age, bytes } from "../../core/units.ts";
import type { Status } from "../../service/vpn-service.ts";
import { lockNote } from "../lock-note.ts";
import { shared } from "../styles.ts";
import "./spark-line.ts";

export interface Rate {
  rx: number;
  tx: number;
}

const TONE: Record<Status["state"], string> = {
  protected: "ok",
  connecting: "warn",
  degraded: "warn",
  blocked: "bad",
  unprotected: "bad",
  off: "off",
  not_allowed: "off",
};

const perSecond = (n: number) => `${bytes(Math.round(n))}/s`;

export class StatusView extends LitElement {
  static override properties = { status: { attribute: false }, rates: { attribute: false }, busy: { type: Boolean }, now: { type: Number } };
  declare status: Status;
  declare rates: Rate[];
  declare busy: boolean;
  declare now: number;

  static override styles = [
    shared,
    css`
      .ok { --tone: var(--ok); } .warn { --tone: var(--warn); } .bad { --tone: var(--bad); } .off { --tone: var(--off); }
      .hero { border: 2px solid var(--tone); background: var(--card); background: color-mix(in srgb, var(--tone) 9%, var(--card)); }
      .state { display: flex; gap: 1rem; align-items: center; }
      .switch { flex: none; width: 6.5rem; height: 3.7rem; border-radius: 2rem; border: 2px solid var(--muted); background: var(--bg); position: relative; padding: 0; }
      .switch::after { content: ""; position: absolute; top: 0.35rem; left: 0.4rem; width: 2.8rem; height: 2.8rem; border-radius: 50%; background: var(--off); transition: transform 0.15s; }
      .switch[aria-checked="true"] { background: var(--tone); border-color: var(--tone); }
      .switch[aria-checked="true"]::after { transform: translateX(2.6rem); background: var(--card); }
      .word { font-size: 1.6rem; line-height: 1.2; font-weight: 700; margin: 0; color: var(--tone); }
      .reason { margin: 0.35rem 0 0; }
      .hero .lock { margin-top: 0.75rem; }
      dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); gap: 0.5rem; margin: 0; }
      dl > div { background: var(--bg); border-radius: 8px; padding: 0.5rem 0.65rem; min-width: 0; }
      dl > .wide { grid-column: 1 / -1; }
      dt { color: var(--muted); font-size: 0.85rem; }
      dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
      dd small { display: block; font-weight: 400; color: var(--muted); }
      .rates { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 0.35rem; }
      .rx { color: var(--accent); } .tx { color: var(--ok); }
    `,
  ];

  constructor() {
    super();
    this.rates = [];
    this.busy = false;
    this.now = Date.now();
  }

  private toggle() {
    this.dispatchEvent(new CustomEvent("toggle", { detail: { on: !this.status.effective.wanted }, bubbles: true, composed: true }));
  }

  override render() {
    const s = this.status;
    const on = s.effective.wanted;
    const allowed = on ? s.effective.canDisable : s.effective.canEnable;
    const rate = this.rates.at(-1);
    return html`
      <section class="card hero ${TONE[s.state]}" aria-live="polite">
        <div class="state">
          <button class="switch" role="switch" aria-checked=${on ? "true" : "false"} aria-label="VPN for the whole network" aria-describedby="words" ?disabled=${!allowed || this.busy} @click=${this.toggle}></button>
          <div id="words">
            <p class="word" data-state=${s.state}>${STATE_LABEL[s.state]}</p>
            <p class="reason">${this.busy ? "Applying…" : s.reason}</p>
          </div>
        </div>
        ${allowed ? nothing : lockNote(s.effective.reason)}
      </section>
      <section class="card">
        <h2>Details</h2>
        <dl>
          <div class="wide"><dt>Server</dt><dd>${s.server ? html`${s.server.name}<small>${s.server.endpoint}</small>` : "—"}</dd></div>
          <div><dt>Last handshake</dt><dd>${s.lastHandshakeMs ? age(this.now - s.lastHandshakeMs) : "none"}</dd></div>
          <div><dt>Exit address</dt><dd>${s.exitAddress ?? "—"}</dd></div>
          <div><dt>Received</dt><dd>${bytes(s.rxBytes)}</dd></div>
          <div><dt>Sent</dt><dd>${bytes(s.txBytes)}</dd></div>
          <div class="wide">
            <dt>Throughput</dt>
            <dd>
              <div class="rates"><span class="rx">↓ ${rate ? perSecond(rate.rx) : "—"}</span><span class="tx">↑ ${rate ? perSecond(rate.tx) : "—"}</span></div>
              ${this.rates.length > 1 ? html`<spark-line .rx=${this.rates.map((r) => r.rx)} .tx=${this.rates.map((r) => r.tx)} label="Received and sent over the last minute"></spark-line>` : nothing}
            </dd>
          </div>
          <div><dt>LAN devices</dt><dd>${s.lanClients}</dd></div>
          <div><dt>Policy</dt><dd>${s.policy.mode}${s.policy.locked ? html`<small>locked by the administrator</small>` : nothing}</dd></div>
        </dl>
      </section>
    `;
  }
}
customElements.define("status-view", StatusView);
