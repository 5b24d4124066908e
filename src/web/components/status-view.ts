// The state at a glance: one big switch, the state in words and colour, and the details.
import { css, html, LitElement, nothing } from "lit";
import { STATE_LABEL } from "../../core/state-labels.ts";
import { age, bytes } from "../../core/units.ts";
import type { Status } from "../../service/vpn-service.ts";
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

export class StatusView extends LitElement {
  static override properties = { status: { attribute: false }, rates: { attribute: false }, busy: { type: Boolean }, now: { type: Number } };
  declare status: Status;
  declare rates: Rate[];
  declare busy: boolean;
  declare now: number;

  static override styles = [
    shared,
    css`
      .state { display: flex; gap: 1rem; align-items: center; }
      .switch { flex: none; width: 5.5rem; height: 3.2rem; border-radius: 2rem; border: 2px solid var(--line); background: var(--bg); position: relative; padding: 0; }
      .switch::after { content: ""; position: absolute; top: 0.3rem; left: 0.35rem; width: 2.4rem; height: 2.4rem; border-radius: 50%; background: var(--off); transition: transform 0.15s; }
      .switch[aria-checked="true"] { background: var(--ok); border-color: var(--ok); }
      .switch[aria-checked="true"]::after { transform: translateX(2.15rem); background: var(--card); }
      .word { font-size: 1.6rem; font-weight: 700; margin: 0; }
      .ok { color: var(--ok); } .warn { color: var(--warn); } .bad { color: var(--bad); } .off { color: var(--off); }
      .reason { margin: 0.5rem 0 0; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 1rem; margin: 0; }
      dt { color: var(--muted); } dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
      .traffic { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
      .lock { margin-top: 0.75rem; }
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
    const tone = TONE[s.state];
    const rate = this.rates.at(-1);
    return html`
      <section class="card" aria-live="polite">
        <div class="state">
          <button class="switch" role="switch" aria-checked=${on ? "true" : "false"} aria-label="VPN for the whole network" ?disabled=${!allowed || this.busy} @click=${this.toggle}></button>
          <div>
            <p class="word ${tone}" data-state=${s.state}>${STATE_LABEL[s.state]}</p>
            <p class="reason">${this.busy ? "Applying…" : s.reason}</p>
          </div>
        </div>
        ${allowed ? nothing : html`<p class="note lock" data-lock>🔒 ${s.effective.reason}</p>`}
      </section>
      <section class="card">
        <h2>Details</h2>
        <dl>
          <dt>Server</dt><dd>${s.server ? `${s.server.name} (${s.server.endpoint})` : "—"}</dd>
          <dt>Last handshake</dt><dd>${s.lastHandshakeMs ? age(this.now - s.lastHandshakeMs) : "none"}</dd>
          <dt>Traffic</dt>
          <dd class="traffic"><span>↓ ${bytes(s.rxBytes)} received</span><span>↑ ${bytes(s.txBytes)} sent</span></dd>
          <dt>Throughput</dt>
          <dd class="traffic">
            <span>${rate ? `${bytes(Math.round(rate.rx + rate.tx))}/s` : "—"}</span>
            ${this.rates.length > 1 ? html`<spark-line .values=${this.rates.map((r) => r.rx + r.tx)} label="Throughput over the last minute"></spark-line>` : nothing}
          </dd>
          <dt>Exit address</dt><dd>${s.exitAddress ?? "—"}</dd>
          <dt>Devices on the LAN</dt><dd>${s.lanClients}</dd>
          <dt>Policy</dt><dd>${s.policy.mode}${s.policy.locked ? " (locked by the administrator)" : ""}</dd>
        </dl>
      </section>
    `;
  }
}
customElements.define("status-view", StatusView);
