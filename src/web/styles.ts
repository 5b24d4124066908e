// Styles shared by the components (adopted stylesheets: no inline styles, CSP-friendly).
import { css } from "lit";

export const shared = css`
  :host { display: block; }
  *, *::before, *::after { box-sizing: border-box; }
  h2 { font-size: 1.15rem; margin: 0 0 0.75rem; }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem; margin: 0 0 1rem; }
  .muted { color: var(--muted); }
  .row { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
  button, select, input, textarea { font: inherit; color: inherit; }
  button { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0.45rem 0.9rem; cursor: pointer; min-height: 2.5rem; }
  button.primary { background: var(--accent); border-color: var(--accent); color: var(--card); }
  button:disabled, input:disabled, select:disabled { opacity: 0.55; cursor: not-allowed; }
  input[type="text"], input[type="password"], select, textarea { width: 100%; background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem; }
  textarea { min-height: 9rem; font-family: ui-monospace, monospace; font-size: 0.9rem; }
  label { display: block; font-weight: 600; margin: 0.6rem 0 0.25rem; }
  :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
  .error { color: var(--bad); font-weight: 600; margin: 0.4rem 0; }
  .note { color: var(--muted); font-size: 0.9rem; margin: 0.25rem 0; }
  .lock { display: flex; gap: 0.4rem; align-items: flex-start; }
  .lock svg { flex: none; margin-top: 0.15rem; }
  code { font-family: ui-monospace, monospace; word-break: break-all; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;
