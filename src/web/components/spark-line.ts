// A small SVG line of recent throughput, from successive status updates.
import { css, html, LitElement, svg } from "lit";

export class SparkLine extends LitElement {
  static override properties = { values: { attribute: false }, label: {} };
  declare values: number[];
  declare label: string;
  static override styles = css`:host { display: inline-block; color: var(--accent); line-height: 0; }`;

  constructor() {
    super();
    this.values = [];
    this.label = "";
  }

  override render() {
    const w = 120;
    const h = 28;
    const max = Math.max(1, ...this.values);
    const step = this.values.length > 1 ? w / (this.values.length - 1) : w;
    const points = this.values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`).join(" ");
    return html`<svg viewBox="0 0 ${w} ${h}" width=${w} height=${h} role="img" aria-label=${this.label}>
      ${svg`<polyline points=${points} fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />`}
    </svg>`;
  }
}
customElements.define("spark-line", SparkLine);
