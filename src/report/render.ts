/**
 * Markdown and self-contained HTML from a built report. Same sections, same numbers; the HTML
 * inlines its SVG charts and CSS (no scripts, works offline), the Markdown links the SVG files.
 */
import type { Chart } from './charts.js';
import type { Report, Table } from './build.js';
import { escapeHtml as esc, escapeMarkdown } from './escape.js';
import { plainText, renderText, type Text } from './text.js';

type Cell = string | number | undefined;

export function fmt(v: Cell): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (a >= 1) return v.toLocaleString('en-US', { maximumFractionDigits: 3 });
  if (a === 0) return '0';
  return Number(v.toPrecision(3)).toString();
}

const pct = (v: Cell) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '');

/** Headline as targets × scenarios, one cell per pair. */
function headlineGrid(r: Report): { columns: string[]; rows: string[][] } {
  const scenarios = r.runs.map((x) => x.loaded.name);
  const ids = [...new Set(r.headline.rows.map((row) => String(row[0])))];
  return {
    columns: ['target', 'deadline', ...scenarios],
    rows: ids.map((id) => {
      const first = r.headline.rows.find((row) => row[0] === id)!;
      return [
        id,
        first[2] === undefined ? '' : `FY${first[2]}`,
        ...scenarios.map((s) => {
          const row = r.headline.rows.find((x) => x[0] === id && x[1] === s);
          if (!row) return '';
          const [, , , status, without, probability, gap, unit] = row;
          const star = status !== 'off-track' && without === 'off-track' ? '*' : '';
          const p = probability === undefined ? '' : `, P ${pct(probability)}`;
          const g = typeof gap === 'number' && gap > 0 ? `, short ${fmt(gap)} ${unit}` : '';
          return `${status}${star}${p}${g}`;
        }),
      ];
    }),
  };
}

/** Report text as Markdown: our wording as written, free text escaped. */
const md = (t: Text) => renderText(t, escapeMarkdown);
/** A table cell: strings are free text, numbers are formatted. */
const mdCell = (c: Cell) => (typeof c === 'string' ? escapeMarkdown(c) : fmt(c));

function mdTable(columns: string[], rows: Cell[][]): string {
  return [
    `| ${columns.map(mdCell).join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ].join('\n');
}

// Table and chart ids are ours (fixed, or made of [a-z0-9-]); they name the files beside.
const mdTableOf = (t: Table) =>
  `${mdTable(t.columns, t.rows)}\n\n_Data: ${t.id}.csv${t.note ? ` — ${md(t.note)}` : ''}_`;
const mdChart = (c: Chart) =>
  `![${escapeMarkdown(c.title)}](${c.id}.svg)\n\n_${md(c.caption)} Data: ${c.id}.csv_`;

export function renderMarkdown(r: Report): string {
  const grid = headlineGrid(r);
  const parts = [
    `# ${md(r.title)}`,
    r.subtitle.map(md).join('\n'),
    '## Targets at a glance',
    mdTable(grid.columns, grid.rows),
    '_status with credits; * = met only thanks to credits ' +
      '(off track on emissions before credits); P = probability from Monte Carlo; ' +
      'data: headline.csv_',
    '## What changed since the last report',
    md(r.changesNote),
    r.changes.rows.length ? mdTableOf(r.changes) : '',
    '## Trajectories against the required pathways',
    ...r.pathwayCharts.map(mdChart),
    ...(r.uncertaintyCharts.length ? ['## Uncertainty', ...r.uncertaintyCharts.map(mdChart)] : []),
    ...(r.offsetCharts.length
      ? [
          '## Carbon credits and their cost',
          ...r.offsetCharts.map(mdChart),
          mdTableOf(r.offsetsTable),
        ]
      : []),
    ...(r.creditDriversTable.rows.length
      ? [`### ${md(r.creditDriversTable.title)}`, mdTableOf(r.creditDriversTable)]
      : []),
    `## What drives market-based scope 2 to FY2030`,
    mdChart(r.decompositionChart),
    mdTableOf(r.decompositionTable),
    '## The assumptions that matter most',
    mdTableOf(r.assumptionsTable),
    ...(r.notes.length ? ['## Notes', ...r.notes.map((n) => `- ${md(n)}`)] : []),
    '## Appendix: provenance',
    ...r.provenanceTables.map((t) => `### ${md(t.title)}\n\n${mdTableOf(t)}`),
  ];
  return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}

/** Report text as HTML: all of it escaped (our wording has no markup either). */
const html = (t: Text) => esc(plainText(t));

function htmlTable(columns: string[], rows: Cell[][], caption?: string): string {
  const head = columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map((c) => `<td${typeof c === 'number' ? ' class="n"' : ''}>${esc(fmt(c))}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return (
    `<div class="scroll"><table>${caption ? `<caption>${esc(caption)}</caption>` : ''}` +
    `<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`
  );
}

const htmlTableOf = (t: Table) =>
  `${htmlTable(t.columns, t.rows)}<p class="src">Data: <a href="${t.id}.csv">${t.id}.csv</a>` +
  `${t.note ? ` — ${html(t.note)}` : ''}</p>`;

export function renderHtml(r: Report, svgs: Map<string, string>): string {
  const chart = (c: Chart) =>
    `<figure id="${c.id}">${svgs.get(c.id) ?? ''}<figcaption>${html(c.caption)} ` +
    `Data: <a href="${c.id}.csv">${c.id}.csv</a></figcaption></figure>`;
  const grid = headlineGrid(r);
  const status = (cell: string) => {
    const cls = cell.startsWith('off-track')
      ? 'off'
      : cell.startsWith('met')
        ? 'met'
        : cell.startsWith('on-track')
          ? 'on'
          : '';
    return cls ? `<td class="${cls}">${esc(cell)}</td>` : `<td>${esc(cell)}</td>`;
  };
  const headlineHtml =
    `<table><thead><tr>${grid.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>` +
    `<tbody>${grid.rows
      .map(
        (row) =>
          `<tr><td>${esc(row[0]!)}</td><td>${esc(row[1]!)}</td>` +
          `${row.slice(2).map(status).join('')}</tr>`,
      )
      .join('\n')}</tbody></table>`;
  const sections = [
    `<header><h1>${html(r.title)}</h1>` +
      `${r.subtitle.map((s) => `<p>${html(s)}</p>`).join('')}</header>`,
    `<section><h2>Targets at a glance</h2>${headlineHtml}<p class="src">Status with credits; ` +
      '* = met only thanks to credits (off track on emissions before credits); ' +
      'P = probability from Monte Carlo. ' +
      'Data: <a href="headline.csv">headline.csv</a></p></section>',
    `<section><h2>What changed since the last report</h2><p>${html(r.changesNote)}</p>` +
      `${r.changes.rows.length ? htmlTableOf(r.changes) : ''}</section>`,
    `<section><h2>Trajectories against the required pathways</h2>` +
      `${r.pathwayCharts.map(chart).join('\n')}</section>`,
    r.uncertaintyCharts.length
      ? `<section><h2>Uncertainty</h2>${r.uncertaintyCharts.map(chart).join('\n')}</section>`
      : '',
    r.offsetCharts.length
      ? `<section><h2>Carbon credits and their cost</h2>${r.offsetCharts.map(chart).join('\n')}` +
        `${htmlTableOf(r.offsetsTable)}` +
        `${
          r.creditDriversTable.rows.length
            ? `<h3>${html(r.creditDriversTable.title)}</h3>${htmlTableOf(r.creditDriversTable)}`
            : ''
        }</section>`
      : '',
    `<section><h2>What drives market-based scope 2 to FY2030</h2>${chart(r.decompositionChart)}` +
      `${htmlTableOf(r.decompositionTable)}</section>`,
    `<section><h2>The assumptions that matter most</h2>` +
      `${htmlTableOf(r.assumptionsTable)}</section>`,
    r.notes.length
      ? `<section><h2>Notes</h2><ul>` +
        `${r.notes.map((n) => `<li>${html(n)}</li>`).join('')}</ul></section>`
      : '',
    `<section><h2>Appendix: provenance</h2>` +
      `${r.provenanceTables.map((t) => `<h3>${html(t.title)}</h3>${htmlTableOf(t)}`).join('\n')}` +
      `</section>`,
  ];
  return (
    `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(r.title)}</title>
<style>
body{font:15px/1.45 Helvetica,Arial,sans-serif;color:#1d2733;` +
    `max-width:1020px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin-bottom:.2em}` +
    `h2{border-bottom:1px solid #d6dde5;padding-bottom:.2em;margin-top:1.8em}
header p{margin:.2em 0;color:#516070}
table{border-collapse:collapse;margin:.8em 0;font-size:.88em;width:100%}` +
    `th,td{border:1px solid #d6dde5;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#f2f5f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.met{background:#dff3e4}td.on{background:#eef6e9}td.off{background:#fbe3e1}
figure{margin:1.2em 0}.scroll{overflow-x:auto}` +
    `figcaption,.src{font-size:.85em;color:#516070}svg{max-width:100%;height:auto}
</style></head>
<body>
${sections.filter(Boolean).join('\n')}
</body></html>
`
  );
}
