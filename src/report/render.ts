/**
 * Markdown and self-contained HTML from a built report. Same sections, same numbers; the HTML
 * inlines its SVG charts and CSS (no scripts, works offline), the Markdown links the SVG files.
 */
import type { Chart } from './charts.js';
import type { Report, Table } from './build.js';
import {
  escapeHtml as esc,
  escapeMarkdown,
  escapeMarkdownAfter,
  escapeMarkdownInline,
} from './escape.js';
import { plainText, renderText, type Text } from './text.js';
import { gapWords, notShownNote, readerUnit, statusWords } from './headline.js';
import type { TargetResult } from '../core/targets.js';
import { yearLabel } from '../core/fiscal-year.js';

type Cell = string | number | undefined;

/**
 * A number as a reader sees it: thousands separated, a few significant digits, and float noise
 * (|v| < 5e-7, e.g. −6.98e-10 t left over from a subtraction) shown as 0.
 */
export function fmt(v: Cell): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  if (a < 5e-7) return '0';
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (a >= 10) return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  if (a >= 1) return v.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return Number(v.toPrecision(3)).toString();
}

/** The one percentage convention: a fraction shown as a percentage with one decimal. */
export const pct = (v: Cell): string =>
  typeof v === 'number' && Number.isFinite(v) ? `${fmt(Number((v * 100).toFixed(1)))}%` : '';

/** A table's cell as shown: fractions in percent columns as %, numbers formatted. */
const cellText = (t: Table, c: Cell, i: number): string => {
  if (typeof c !== 'number') return fmt(c);
  if (t.percent?.includes(i)) return pct(c);
  const d = t.decimals?.[i];
  return d === undefined ? fmt(c) : fmt(Number(c.toFixed(d)) || 0);
};

/** Headline as targets × scenarios, one cell per pair, in words. */
function headlineGrid(r: Report): { columns: string[]; rows: string[][] } {
  const scenarios = r.runs.map((x) => x.loaded.name);
  const ids = [...new Set(r.headline.rows.map((row) => String(row[0])))];
  const titleOf = (id: string) => r.evals[0]!.results.find((x) => x.targetId === id)?.title ?? id;
  return {
    columns: ['target', 'deadline', ...scenarios],
    rows: ids.map((id) => {
      const first = r.headline.rows.find((row) => row[0] === id)!;
      return [
        titleOf(id),
        first[2] === undefined ? '' : yearLabel(r.org.organization.fiscalYear, String(first[2])),
        ...scenarios.map((s) => {
          const row = r.headline.rows.find((x) => x[0] === id && x[1] === s);
          if (!row) return '';
          const [, , , status, without, probability, gap, unit] = row;
          const words = statusWords({
            status: status as TargetResult['status'],
            withoutCredits:
              without === undefined
                ? undefined
                : { status: without as TargetResult['status'], gap: 0, projectedValue: 0 },
          });
          const u = readerUnit(String(unit));
          const p = probability === undefined ? '' : ` (${pct(probability)})`;
          const g =
            typeof gap === 'number' && gap > 0 ? `; ${gapWords(gap * u.scale, u.unit)}` : '';
          return `${words}${p}${g}`;
        }),
      ];
    }),
  };
}

/** After the glance table's data line: the targets it leaves out, and why (or nothing). */
function glanceLeftOut(r: Report, render: (t: Text) => string): string {
  const text = render(notShownNote(r.evals[0]!.results));
  return text ? `.${text}` : '';
}

/** Report text as Markdown: our wording as written, free text escaped. */
const md = (t: Text) => renderText(t, (free, before) => escapeMarkdownAfter(before, free));
/** A table cell (inline content only): strings are free text, numbers are formatted. */
const mdCell = (c: Cell) => (typeof c === 'string' ? escapeMarkdownInline(c) : fmt(c));

function mdTable(columns: string[], rows: Cell[][]): string {
  return [
    `| ${columns.map(mdCell).join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ].join('\n');
}

/** The rows as shown (percent columns as %). */
const shownRows = (t: Table): Cell[][] =>
  t.rows.map((row) => row.map((c, i) => (t.percent?.includes(i) ? cellText(t, c, i) : c)));

// Table and chart ids are ours (fixed, or made of [a-z0-9-]); they name the files beside.
const mdTableOf = (t: Table) =>
  `${mdTable(t.labels ?? t.columns, shownRows(t))}\n\n` +
  `_Data: ${t.id}.csv${t.note ? ` — ${md(t.note)}` : ''}_`;
const mdChart = (c: Chart) =>
  `![${escapeMarkdown(c.title)}](${c.id}.svg)\n\n_${md(c.caption)} Data: ${c.id}.csv_`;

/** The executive headline's target table as shown: words for the gap, % for probability. */
function headlineTargetRows(t: Table): Cell[][] {
  return t.rows.map(([title, deadline, status, probability, , , words]) => [
    title,
    deadline,
    status,
    typeof probability === 'number' ? `${fmt(Math.round(probability))}%` : '',
    words,
  ]);
}
const HEADLINE_TARGET_COLUMNS = ['target', 'deadline', 'status', 'probability', 'gap'];

/** Options of the rendering that are not in the report's data. */
export interface RenderOptions {
  /** When the report was generated (only when the user gives --date: reruns stay identical). */
  date?: string | undefined;
}

const generated = (o: RenderOptions) => (o.date ? `Generated on ${o.date}.` : '');

export function renderMarkdown(r: Report, o: RenderOptions = {}): string {
  const grid = headlineGrid(r);
  const e = r.executive;
  const parts = [
    `# ${md(r.title)}`,
    [...r.subtitle.map(md), generated(o)].filter(Boolean).join('\n'),
    '## Headline',
    e.paragraph.map(md).join('\n\n'),
    `### ${md(e.targets.title)}`,
    `${mdTable(HEADLINE_TARGET_COLUMNS, headlineTargetRows(e.targets))}\n\n` +
      `_Data: ${e.targets.id}.csv — ${md(e.targets.note!)}_`,
    ...(e.credits.rows.length ? [`### ${md(e.credits.title)}`, mdTableOf(e.credits)] : []),
    ...(e.sbti.rows.length ? [`### ${md(e.sbti.title)}`, mdTableOf(e.sbti)] : []),
    '## Targets at a glance',
    mdTable(grid.columns, grid.rows),
    '_status with credits where the target allows them, (probability from Monte Carlo); ' +
      `data: headline.csv${glanceLeftOut(r, md)}_`,
    '## What changed since the last report',
    md(r.changesNote),
    r.changes.rows.length ? mdTableOf(r.changes) : '',
    '## Trajectories against the required pathways',
    ...r.pathwayCharts.map(mdChart),
    ...(r.uncertaintyCharts.length ? ['## Uncertainty', ...r.uncertaintyCharts.map(mdChart)] : []),
    `## ${sectionHeading(r, 'predicts')}`,
    ...r.predicts.text.map(md),
    ...[r.predicts.errors, r.predicts.coverage].flatMap((t) =>
      t ? [`### ${md(t.title)}`, mdTableOf(t)] : [],
    ),
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
    `## ${sectionHeading(r, 'scope2')}`,
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

/** A status cell: the words, and a class that colours it (kept in print). */
function statusCell(words: string): string {
  const cls = words.startsWith('off track')
    ? 'off'
    : words.includes('with credits')
      ? 'credit'
      : words.startsWith('met') || words.startsWith('on track')
        ? 'on'
        : '';
  return cls ? `<td class="${cls}">${esc(words)}</td>` : `<td>${esc(words)}</td>`;
}

function htmlTable(columns: string[], rows: string[][], numeric: boolean[][]): string {
  const head = columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = rows
    .map(
      (r, i) =>
        `<tr>${r
          .map((c, j) => `<td${numeric[i]![j] ? ' class="n"' : ''}>${esc(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  const size = columns.length > 8 ? ' class="many"' : '';
  return (
    `<div class="scroll"><table${size}><thead><tr>${head}</tr></thead>` +
    `<tbody>\n${body}\n</tbody></table></div>`
  );
}

const htmlTableOf = (t: Table) =>
  `${htmlTable(
    t.labels ?? t.columns,
    t.rows.map((r) => r.map((c, i) => cellText(t, c, i))),
    t.rows.map((r) => r.map((c) => typeof c === 'number')),
  )}<p class="src">Data: <a href="${t.id}.csv">${t.id}.csv</a>` +
  `${t.note ? ` — ${html(t.note)}` : ''}</p>`;

/**
 * The sections, in order: id (the anchor) and the heading the contents list shows; `{year}` is
 * the key year as the organization says it.
 */
const SECTIONS = [
  ['headline', 'Headline'],
  ['glance', 'Targets at a glance'],
  ['changes', 'What changed since the last report'],
  ['trajectories', 'Trajectories against the required pathways'],
  ['uncertainty', 'Uncertainty'],
  ['predicts', 'How well it predicts'],
  ['credits', 'Carbon credits and their cost'],
  ['scope2', 'What drives market-based scope 2 to {year}'],
  ['assumptions', 'The assumptions that matter most'],
  ['notes', 'Notes'],
  ['provenance', 'Appendix: provenance'],
] as const;
type SectionId = (typeof SECTIONS)[number][0];
const sectionHeading = (r: Report, id: SectionId): string =>
  SECTIONS.find((x) => x[0] === id)![1].replace(
    '{year}',
    yearLabel(r.org.organization.fiscalYear, r.data.keyYear),
  );

const CSS = `
body{font:15px/1.45 Helvetica,Arial,sans-serif;color:#1d2733;max-width:1020px;margin:0 auto;
padding:16px 24px}
h1{font-size:1.5em;margin:.2em 0}h2{border-bottom:1px solid #d6dde5;padding-bottom:.2em;
margin-top:1.8em}h3{font-size:1.05em;margin:1.2em 0 .3em}
header p{margin:.1em 0;color:#516070;font-size:.85em}
#headline h2{margin-top:.6em}#headline p.lead{font-size:1.05em;margin:.4em 0}
nav.toc{font-size:.85em;margin:1em 0;padding:.5em .8em;background:#f2f5f8}
nav.toc ol{margin:.2em 0;padding-left:1.4em;columns:2}
table{border-collapse:collapse;margin:.6em 0;font-size:.88em;width:100%}
table.many{font-size:.8em}
th,td{border:1px solid #d6dde5;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#f2f5f8}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.on{background:#dff3e4}td.credit{background:#fdf1d6}td.off{background:#fbe3e1}
figure{margin:1.2em 0}.scroll{overflow-x:auto}
figcaption,.src{font-size:.85em;color:#516070}svg{max-width:100%;height:auto}
.chart-title{font-weight:bold;margin:.2em 0}
.narrow{display:none}
@media screen and (max-width:640px){
body{padding:8px 12px;font-size:14px}h1{font-size:1.25em}
header p{font-size:.8em}#headline p.lead{font-size:1em}
.wide{display:none}.narrow{display:block}nav.toc ol{columns:1}
th,td{padding:3px 4px}
}
@media print{
@page{size:A4;margin:14mm 12mm}
body{max-width:none;padding:0;font-size:9.5pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.scroll{overflow:visible}
table{table-layout:auto;font-size:8pt}table.many{font-size:6.8pt}
th,td{padding:2px 3px;overflow-wrap:anywhere}
td.n{white-space:nowrap}
thead{display:table-header-group}tr,figure,svg{break-inside:avoid}
h2,h3{break-after:avoid}
section.major{break-before:page}
a{color:inherit;text-decoration:none}
nav.toc a::after{content:none}
}
`;

export function renderHtml(
  r: Report,
  svgs: Map<string, string>,
  narrow: Map<string, string> = new Map(),
  o: RenderOptions = {},
): string {
  const chart = (c: Chart) =>
    `<figure id="${c.id}"><div class="wide">${svgs.get(c.id) ?? ''}</div>` +
    `<div class="narrow"><p class="chart-title">${esc(c.title)}</p>` +
    `${narrow.get(c.id) ?? svgs.get(c.id)?.replace(' data-chart=', ' data-chart-copy=') ?? ''}` +
    `</div><figcaption>${html(c.caption)} ` +
    `Data: <a href="${c.id}.csv">${c.id}.csv</a></figcaption></figure>`;
  const grid = headlineGrid(r);
  const e = r.executive;
  const glance =
    `<div class="scroll"><table><thead><tr>` +
    `${grid.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>` +
    `<tbody>${grid.rows
      .map(
        (row) =>
          `<tr><td>${esc(row[0]!)}</td><td>${esc(row[1]!)}</td>` +
          `${row.slice(2).map(statusCell).join('')}</tr>`,
      )
      .join('\n')}</tbody></table></div>`;
  const headTargets =
    `<table id="headline-targets"><thead><tr>` +
    `${HEADLINE_TARGET_COLUMNS.map((c) => `<th>${esc(c)}</th>`).join('')}` +
    `</tr></thead><tbody>${headlineTargetRows(e.targets)
      .map(
        ([title, deadline, status, p, gap]) =>
          `<tr><td>${esc(fmt(title))}</td><td>${esc(fmt(deadline))}</td>` +
          `${statusCell(fmt(status))}<td class="n">${esc(fmt(p))}</td>` +
          `<td>${esc(fmt(gap))}</td></tr>`,
      )
      .join('\n')}</tbody></table>` +
    `<p class="src">Data: <a href="${e.targets.id}.csv">${e.targets.id}.csv</a> — ` +
    `${html(e.targets.note!)}</p>`;
  const present = new Set<SectionId>(['headline', 'glance', 'changes', 'trajectories']);
  const section = (id: SectionId, body: string, major = true) => {
    present.add(id);
    const heading = sectionHeading(r, id);
    return (
      `<section id="${id}"${major ? ' class="major"' : ''}><h2>${esc(heading)}</h2>` +
      `${body}</section>`
    );
  };
  const sections = [
    section(
      'headline',
      `${e.paragraph.map((p) => `<p class="lead">${html(p)}</p>`).join('')}` +
        `${headTargets}` +
        (e.credits.rows.length
          ? `<h3>${html(e.credits.title)}</h3>${htmlTableOf(e.credits)}`
          : '') +
        `${e.sbti.rows.length ? `<h3>${html(e.sbti.title)}</h3>${htmlTableOf(e.sbti)}` : ''}`,
      false,
    ),
    section(
      'glance',
      `${glance}<p class="src">Status with credits where the target allows them ` +
        '(probability from Monte Carlo); green: met or on track, amber: only with credits, ' +
        'red: off track. Data: <a href="headline.csv">headline.csv</a>' +
        `${glanceLeftOut(r, html)}</p>`,
    ),
    section(
      'changes',
      `<p>${html(r.changesNote)}</p>${r.changes.rows.length ? htmlTableOf(r.changes) : ''}`,
      false,
    ),
    section('trajectories', r.pathwayCharts.map(chart).join('\n')),
    r.uncertaintyCharts.length
      ? section('uncertainty', r.uncertaintyCharts.map(chart).join('\n'))
      : '',
    section(
      'predicts',
      r.predicts.text.map((p) => `<p>${html(p)}</p>`).join('') +
        [r.predicts.errors, r.predicts.coverage]
          .map((t) => (t ? `<h3>${html(t.title)}</h3>${htmlTableOf(t)}` : ''))
          .join(''),
    ),
    r.offsetCharts.length
      ? section(
          'credits',
          `${r.offsetCharts.map(chart).join('\n')}${htmlTableOf(r.offsetsTable)}` +
            `${
              r.creditDriversTable.rows.length
                ? `<h3>${html(r.creditDriversTable.title)}</h3>${htmlTableOf(r.creditDriversTable)}`
                : ''
            }`,
        )
      : '',
    section('scope2', `${chart(r.decompositionChart)}${htmlTableOf(r.decompositionTable)}`),
    section('assumptions', htmlTableOf(r.assumptionsTable)),
    r.notes.length
      ? section('notes', `<ul>${r.notes.map((n) => `<li>${html(n)}</li>`).join('')}</ul>`, false)
      : '',
    section(
      'provenance',
      r.provenanceTables
        .map((t) => `<h3 id="${t.id}">${html(t.title)}</h3>${htmlTableOf(t)}`)
        .join('\n'),
    ),
  ];
  const toc =
    `<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>` +
    SECTIONS.filter(([id]) => present.has(id))
      .map(([id]) => `<li><a href="#${id}">${esc(sectionHeading(r, id))}</a></li>`)
      .join('') +
    `</ol></nav>`;
  const header =
    `<header><h1>${html(r.title)}</h1>` +
    `${r.subtitle.map((x) => `<p>${html(x)}</p>`).join('')}` +
    `${o.date ? `<p>${esc(generated(o))}</p>` : ''}</header>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">\
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(r.title)}</title>
<style>${CSS}</style></head>
<body>
${header}
${sections[0]}
${toc}
${sections.slice(1).filter(Boolean).join('\n')}
</body></html>
`;
}
