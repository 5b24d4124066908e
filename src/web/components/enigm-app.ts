// The page: login, then the four views, fed by live status events. Changes that could cut
// the browser off are confirmed the way LuCI does it: automatically once the router still
// answers after the change, or, for settings, by the person ("Keep these settings?").
import { css, html, LitElement, nothing } from "lit";
import type { Status } from "../../service/vpn-service.ts";
import { ApiFailure, api, keepIfReachable, type Session, setCsrfToken } from "../api.ts";
import { shared } from "../styles.ts";
import "./about-view.ts";
import "./login-view.ts";
import "./servers-view.ts";
import "./settings-view.ts";
import "./status-view.ts";
import type { Rate } from "./status-view.ts";

type Tab = "status" | "servers" | "settings" | "about";
const TABS: [Tab, string][] = [
  ["status", "Status"],
  ["servers", "Servers"],
  ["settings", "Settings"],
  ["about", "About"],
];
const MAX_RATES = 30;
const MIN_SAMPLE_MS = 1000;
/** Status events come every 2 s; without one for longer the stream is held back or cut. */
const STALE_MS = 5000;
/** How often to ask for the status while the event stream is not open. */
const POLL_MS = 2000;

export class EnigmApp extends LitElement {
  static override properties = {
    session: { state: true },
    status: { state: true },
    tab: { state: true },
    busy: { state: true },
    error: { state: true },
    askKeep: { state: true },
    clock: { state: true },
  };
  declare session: Session | null;
  declare status: Status | null;
  declare tab: Tab;
  declare busy: boolean;
  declare error: string;
  declare askKeep: boolean;
  /** Browser time minus router time, so ages and countdowns use the router's clock. */
  declare clock: { skew: number; now: number };
  private rates: Rate[] = [];
  /** The status the last rate was measured from (answers to our own requests come close together). */
  private sampled: Status | null = null;
  /** The settings the keep question is about, to tell a rollback from a keep elsewhere. */
  private askedAbout = "";
  private events: EventSource | null = null;
  private lastReceived = 0;
  private polling = false;
  private timer = 0;

  static override styles = [
    shared,
    css`
      header { background: var(--card); border-bottom: 1px solid var(--line); }
      header > div { display: flex; align-items: center; justify-content: space-between; gap: 0.5rem; padding: 0.75rem 1rem; max-width: 44rem; margin: 0 auto; }
      header h1 { font-size: 1.1rem; margin: 0; }
      nav { display: flex; gap: 0.25rem; overflow-x: auto; padding: 0.5rem 1rem 0; max-width: 44rem; margin: 0 auto; }
      nav button { border: 0; background: none; border-bottom: 3px solid transparent; border-radius: 0; white-space: nowrap; padding: 0.45rem 0.6rem; }
      nav button[aria-current="page"] { border-bottom-color: var(--accent); font-weight: 700; }
      main { max-width: 44rem; margin: 0 auto; padding: 1rem; }
      .keep { border-color: var(--warn); }
    `,
  ];

  constructor() {
    super();
    this.session = null;
    this.status = null;
    this.tab = TABS.find(([id]) => location.hash === `#${id}`)?.[0] ?? "status";
    this.busy = false;
    this.error = "";
    this.askKeep = false;
    this.clock = { skew: 0, now: Date.now() };
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.loadSession();
    this.timer = window.setInterval(() => this.tick(), 1000);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.timer);
    this.stop();
  }

  private tick() {
    this.clock = { ...this.clock, now: Date.now() - this.clock.skew };
    if (!this.events || this.polling) return;
    const wait = this.events.readyState === EventSource.OPEN ? STALE_MS : POLL_MS;
    if (Date.now() - this.lastReceived >= wait) void this.poll();
  }

  /** The fallback when status events do not arrive: ask for the status instead. */
  private async poll() {
    this.polling = true;
    try {
      const s = await api<Status>("status");
      if (this.events) this.receive(s);
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) await this.loadSession();
    } finally {
      this.polling = false;
    }
  }

  private async loadSession() {
    this.session = await api<Session>("session");
    if (this.session.authenticated && this.session.csrfToken) this.start(this.session.csrfToken);
    else this.stop();
  }

  private stop() {
    this.events?.close();
    this.events = null;
    this.status = null;
    this.sampled = null;
    this.rates = [];
  }

  private start(csrf: string) {
    setCsrfToken(csrf);
    this.session = { authenticated: true, needsSetup: false, csrfToken: csrf };
    this.events?.close();
    this.lastReceived = Date.now();
    this.events = new EventSource("/api/v1/events");
    this.events.addEventListener("status", (e) => this.receive(JSON.parse((e as MessageEvent<string>).data) as Status));
    this.events.addEventListener("error", () => {
      // A closed stream after logout or expiry: ask again who we are.
      if (this.events?.readyState === EventSource.CLOSED) void this.loadSession();
    });
  }

  private receive(s: Status) {
    const prev = this.sampled;
    if (!prev || s.now - prev.now >= MIN_SAMPLE_MS) {
      if (prev) {
        const secs = (s.now - prev.now) / 1000;
        this.rates = [...this.rates, { rx: Math.max(0, s.rxBytes - prev.rxBytes) / secs, tx: Math.max(0, s.txBytes - prev.txBytes) / secs }].slice(-MAX_RATES);
      }
      this.sampled = s;
    }
    this.lastReceived = Date.now();
    this.clock = { skew: Date.now() - s.now, now: s.now };
    this.status = s;
    if (this.askKeep && !s.pendingApply) {
      this.askKeep = false;
      if (JSON.stringify(s.settings) !== this.askedAbout) this.error = "The router undid the change: it was not kept in time.";
    }
  }

  /** Runs a change; a guarded one is kept at once, or for settings the person is asked. */
  private async act(fn: () => Promise<unknown>, ask = false) {
    this.busy = true;
    this.error = "";
    try {
      await fn();
      if (ask) {
        const s = await api<Status>("status");
        this.receive(s);
        this.askKeep = Boolean(s.pendingApply);
        this.askedAbout = JSON.stringify(s.settings);
      } else {
        await keepIfReachable();
        this.receive(await api<Status>("status"));
      }
    } catch (err) {
      this.error = err instanceof ApiFailure ? err.message : String(err);
      if (err instanceof ApiFailure && err.status === 401) await this.loadSession();
    } finally {
      this.busy = false;
    }
  }

  private keep(confirm: boolean) {
    this.askKeep = false;
    return this.act(() => api(confirm ? "confirm_apply" : "rollback_apply", {}));
  }

  private show(tab: Tab) {
    this.tab = tab;
    history.replaceState(null, "", `#${tab}`);
  }

  override updated(changed: Map<string, unknown>) {
    // The question appears above the view the person was using: take the keyboard there.
    if (changed.has("askKeep") && this.askKeep) this.renderRoot.querySelector<HTMLElement>("[data-keep]")?.focus();
  }

  private async logout() {
    await api("logout", {});
    this.stop();
    this.session = { authenticated: false, needsSetup: false };
  }

  private renderView() {
    const s = this.status;
    switch (this.tab) {
      case "status":
        return s
          ? html`<status-view .status=${s} .rates=${this.rates} .now=${this.clock.now} ?busy=${this.busy}
              @toggle=${(e: CustomEvent<{ on: boolean }>) => this.act(() => api(e.detail.on ? "enable" : "disable", {}))}></status-view>`
          : html`<p class="muted">Loading…</p>`;
      case "servers":
        return html`<servers-view .inUse=${s?.server?.name ?? null}></servers-view>`;
      case "settings":
        return html`<settings-view .current=${s?.settings} .forcedKillSwitch=${s?.effective.killSwitch} @applied=${() => this.act(async () => {}, true)}></settings-view>`;
      case "about":
        return html`<about-view></about-view>`;
    }
  }

  override render() {
    const session = this.session;
    if (!session) return html`<p class="muted">Loading…</p>`;
    if (!session.authenticated) {
      return html`<header><div><h1>Enigm VPN</h1></div></header>
        <main><login-view ?setup=${session.needsSetup} @logged-in=${(e: CustomEvent<string>) => this.start(e.detail)}></login-view></main>`;
    }
    const pending = this.status?.pendingApply;
    const left = pending ? Math.max(0, Math.ceil((pending.expiresAt - this.clock.now) / 1000)) : 0;
    return html`
      <header><div><h1>Enigm VPN</h1><button @click=${this.logout}>Log out</button></div></header>
      <nav aria-label="Sections">
        ${TABS.map(([id, label]) => html`<button aria-current=${this.tab === id ? "page" : "false"} @click=${() => this.show(id)}>${label}</button>`)}
      </nav>
      <main>
        ${
          this.askKeep && pending
            ? html`<section class="card keep" role="alertdialog" aria-labelledby="keep-title">
                <h2 id="keep-title">Keep these settings?</h2>
                <p>They are undone by themselves in <strong data-countdown>${left}</strong> s unless you keep them, so a change that cuts you off from the router cannot lock you out.</p>
                <div class="row"><button class="primary" data-keep @click=${() => this.keep(true)}>Keep</button><button @click=${() => this.keep(false)}>Revert now</button></div>
              </section>`
            : nothing
        }
        ${this.error ? html`<p class="error card" role="alert">${this.error}</p>` : nothing}
        ${this.renderView()}
      </main>
    `;
  }
}
customElements.define("enigm-app", EnigmApp);
