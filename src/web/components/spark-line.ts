// Recent throughput as a small SVG chart from successive status updates: received as a filled
// area, sent as a line, both on one scale so they compare.
import { css, html, LitElement, svg } from "lit";

const W = 240;
const H = 40;

function points(values: number[], max: number): string {
  const step = values.length > 1 ? W / (values.length - 1) : W;
  return values.map((v, i) => `${(i * step).toFixed(1)},${(H - 1 - (v / max) * (H - 4)).toFixed(1)}`).join(" ");
}

export class SparkLine extends LitElement {
  static override properties = { rx: { attribute: false }, tx: { attribute: false }, label: {} };
  declare rx: number[];
  declare tx: number[];
  declare label: string;
  static override styles = css`
    :host { display: block; line-height: 0; }
    svg { width: 100%; height: 2.5rem; }
    .area { fill: var(--accent); fill-opacity: 0.22; }
    .rx { fill: none; stroke: var(--accent); }
    .tx { fill: none; stroke: var(--ok); stroke-dasharray: 4 3; }
    .base { stroke: var(--line); }
  `;

  constructor() {
    super();
    this.rx = [];
    this.tx = [];
    this.label = "";
  }

  override render() {
    const max = Math.max(1, ...this.rx, ...this.tx);
    const rx = points(this.rx, max);
    return html`<svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label=${this.label}>
      ${svg`<line class="base" x1="0" y1=${H - 0.5} x2=${W} y2=${H - 0.5} vector-effect="non-scaling-stroke" />
        <polygon class="area" points="0,${H} ${rx} ${W},${H}" />
        <polyline class="rx" points=${rx} stroke-width="1.5" vector-effect="non-scaling-stroke" />
        <polyline class="tx" points=${points(this.tx, max)} stroke-width="1.5" vector-effect="non-scaling-stroke" />`}
    </svg>`;
  }
}
customElements.define("spark-line", SparkLine);
