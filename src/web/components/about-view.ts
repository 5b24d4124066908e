// What the VPN protects and what it does not, in plain words.
import { html, LitElement } from "lit";
import { shared } from "../styles.ts";

export class AboutView extends LitElement {
  static override styles = shared;

  override render() {
    return html`
      <section class="card">
        <h2>What the VPN protects</h2>
        <ul>
          <li>Everything your devices send leaves the router encrypted, to your VPN server. The café, hotel or public Wi-Fi, and anyone watching that network or the uplink, cannot see which sites and services you use or your DNS lookups.</li>
          <li>With the kill switch on, nothing goes out unprotected while the tunnel is down: traffic waits instead.</li>
          <li>Some metadata is hidden from the venue: which servers you talk to, and when.</li>
        </ul>
      </section>
      <section class="card">
        <h2>What it does not protect</h2>
        <ul>
          <li>It is not message encryption. Enigm messages and calls are end-to-end encrypted on their own, with or without the VPN, and never need it.</li>
          <li>It does not make a compromised device safe, and does not stop malware or social engineering.</li>
          <li>It does not hide what you share with the people and services you talk to, or what they pass on.</li>
          <li>It does not secure your accounts or devices, or check who your contacts are.</li>
          <li>Your VPN provider sees what the venue would have seen: choose one you trust.</li>
        </ul>
      </section>
    `;
  }
}
customElements.define("about-view", AboutView);
