// Why a control is disabled by the deployment policy, with a lock drawn in SVG (an emoji lock
// is missing from some systems' fonts).
import { html, svg } from "lit";

const lock = svg`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z"/></svg>`;

export const lockNote = (reason: string) => html`<p class="note lock" data-lock>${lock}<span>${reason}</span></p>`;
