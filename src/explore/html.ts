/**
 * explorer.html: one self-contained file — the data as inert JSON, the bundled script inline,
 * a Content-Security-Policy that allows no request to any host. Opens offline from file://.
 */
import { escapeHtml, jsonForScript } from '../report/escape.js';
import type { ExplorerData } from './data.js';

/**
 * No connection, image, font or frame from anywhere; inline script and style, the worker from a
 * blob: URL of the same script, and 'unsafe-eval' because the kernel is compiled with new
 * Function from numeric-only generated source (src/core/kernel.ts).
 */
export const CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' blob:; worker-src blob:; " +
  "style-src 'unsafe-inline'; img-src data:; connect-src 'none'; form-action 'none'; " +
  "base-uri 'none'";

const STYLE = `
:root { font: 15px/1.4 system-ui, sans-serif; color: #1b1b1b; }
body { margin: 0; }
header { padding: 12px 16px; border-bottom: 1px solid #ddd; }
h1 { font-size: 1.25rem; margin: 0 0 8px; }
h2 { font-size: 1.05rem; margin: 16px 0 8px; }
h3 { font-size: 0.95rem; margin: 0 0 4px; }
.bar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 4px 0; }
button, select { font: inherit; padding: 6px 10px; min-height: 36px; }
button:focus-visible, select:focus-visible, input:focus-visible { outline: 3px solid #f58518; }
main { display: grid; grid-template-columns: minmax(300px, 380px) 1fr; gap: 16px; padding: 0 16px; }
#lever-panel { max-height: calc(100vh - 140px); overflow-y: auto; position: sticky; top: 0; }
fieldset { border: 1px solid #ddd; margin: 0 0 12px; padding: 6px 10px; min-width: 0; }
legend { font-weight: 600; }
.lever { margin: 8px 0; }
.lever label { display: block; font-size: 0.9rem; overflow-wrap: anywhere; }
.lever.moved label { font-weight: 600; }
.unit, .src, .small, .legend, .pinned { color: #555; font-size: 0.8rem; }
.ctl { display: flex; gap: 6px; align-items: center; }
.ctl input[type=range] { flex: 1; min-width: 0; min-height: 28px; }
.ctl input[type=number] { width: 7.5em; font: inherit; }
.src { margin: 2px 0; overflow-wrap: anywhere; }
.note { color: #b00020; font-size: 0.8rem; margin: 2px 0; }
.note:empty { display: none; }
#cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 10px; }
.card { border: 1px solid #ccc; border-left: 6px solid #999; padding: 8px 10px; }
.card { border-radius: 4px; }
.card.met, .card.on-track { border-left-color: #54a24b; }
.card.off-track { border-left-color: #e45756; }
.badge { font-weight: 600; text-transform: uppercase; font-size: 0.8rem; margin: 0 0 4px; }
.card dl, #credits dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; }
dt { color: #555; } dd { margin: 0; }
.prob { font-size: 0.85rem; margin: 6px 0 0; }
#charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 10px; }
figure { margin: 0; } figcaption { font-size: 0.85rem; font-weight: 600; }
svg { width: 100%; height: auto; } .tick { font-size: 10px; fill: #555; }
#numbers { font-size: 0.75rem; border-collapse: collapse; display: block; overflow-x: auto; }
#numbers th, #numbers td { border: 1px solid #eee; padding: 2px 4px; text-align: right; }
#status { min-height: 1.4em; margin: 4px 0; font-size: 0.85rem; }
@media (max-width: 760px) {
  main { grid-template-columns: 1fr; padding: 0 10px; }
  #lever-panel { position: static; max-height: none; order: 2; }
  #results { order: 1; }
}
`;

export function explorerHtml(data: ExplorerData, script: string): string {
  // The script is our own build; it is inlined as is, so it must not be able to end its element.
  if (/<\/script|<!--/i.test(script))
    throw new Error('the explorer bundle contains </script or <!--: it cannot be inlined');
  const title = `${data.organization.name} — carbonpath explorer`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<div id="app"><noscript>The explorer needs JavaScript.</noscript></div>
<script type="application/json" id="cp-data">${jsonForScript(data)}</script>
<script id="cp-engine">${script}</script>
</body>
</html>
`;
}
