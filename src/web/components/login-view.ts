// Log in, or on first start set the password with the setup code from the daemon's log.
import { html, LitElement, nothing } from "lit";
import { ApiFailure, api } from "../api.ts";
import { shared } from "../styles.ts";

export class LoginView extends LitElement {
  static override properties = { setup: { type: Boolean }, error: { state: true }, busy: { state: true } };
  declare setup: boolean;
  declare error: string;
  declare busy: boolean;
  static override styles = shared;

  constructor() {
    super();
    this.setup = false;
    this.error = "";
    this.busy = false;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const value = (k: string) => String(form.get(k) ?? "");
    this.busy = true;
    this.error = "";
    try {
      const r = this.setup
        ? await api<{ csrfToken: string }>("setup", { code: value("code"), password: value("password") })
        : await api<{ csrfToken: string }>("login", { username: value("username") || "root", password: value("password") });
      this.dispatchEvent(new CustomEvent("logged-in", { detail: r.csrfToken, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err instanceof ApiFailure ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`
      <form class="card" @submit=${this.submit}>
        <h2>${this.setup ? "Set a password" : "Log in"}</h2>
        ${
          this.setup
            ? html`<p class="muted">First start: enter the setup code printed in the router's log, and choose a password (at least 8 characters).</p>
                <label for="code">Setup code</label><input id="code" name="code" type="text" autocomplete="one-time-code" required />`
            : html`<label for="username">User</label><input id="username" name="username" type="text" autocomplete="username" value="root" />`
        }
        <label for="password">${this.setup ? "New password" : "Password"}</label>
        <input id="password" name="password" type="password" autocomplete=${this.setup ? "new-password" : "current-password"} required />
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="row"><button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? "Checking…" : this.setup ? "Set password" : "Log in"}</button></div>
      </form>
    `;
  }
}
customElements.define("login-view", LoginView);
