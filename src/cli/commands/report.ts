import { printWarnings } from '../warnings.js';
import { checkFailOnConditions, failOnConditions } from '../fail-on.js';
import { join } from 'node:path';
import { outputNames, runManifest } from '../../app/manifest.js';
import { sanitizeForTerminal, UsageError } from '../../errors.js';
import { writeFilesAtomically } from '../../io/atomic-write.js';
import { toCsv } from '../../io/csv-output.js';
import { offsetsCsv } from '../../io/offsets-csv.js';
import {
  creditSensitivityCsv,
  fanCsv,
  probabilitiesCsv,
  sensitivityCsv,
} from '../../io/simulate-csv.js';
import { pathwaysCsv, sbtiCsv, targetsCsv } from '../../io/targets-csv.js';
import { workbookBytes, type Sheet } from '../../io/xlsx-output.js';
import { chromiumPath, printToPdf } from '../../io/print-pdf.js';
import { trajectoriesCsv } from '../../io/trajectory-csv.js';
import { TOOL_VERSION } from '../../io/package-root.js';
import { buildReport, type Table } from '../../report/build.js';
import { renderSvgOrNote, type Chart } from '../../report/charts.js';
import { renderHtml, renderMarkdown } from '../../report/render.js';
import { plainText } from '../../report/text.js';
import { print, result } from '../output.js';

export interface ReportCliOptions {
  out: string;
  data?: string;
  asOf?: number;
  actuals?: string;
  failOn?: readonly string[] | string;
  samples?: number;
  seed?: number;
  /** Shown as the generation date (YYYY-MM-DD); without it reruns stay byte-identical. */
  date?: string;
  /** Also print report.html to report.pdf through Chromium. */
  pdf?: boolean;
  /** The year the "How well it predicts" backtest starts from. */
  backtestAsOf?: number;
}

/** --date: a real calendar date written YYYY-MM-DD. */
export function checkDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const d = m ? new Date(`${date}T00:00:00Z`) : undefined;
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date)
    throw new UsageError(
      `--date takes a calendar date as YYYY-MM-DD (e.g. 2026-06-30), not '${date}'`,
    );
  return date;
}

export async function reportCommand(opts: ReportCliOptions): Promise<void> {
  const failOn = checkFailOnConditions(opts.failOn, ['off-track', 'warning']);
  const date = opts.date === undefined ? undefined : checkDate(opts.date);
  // before any work: --pdf without a browser writes nothing
  const chromium = opts.pdf ? chromiumPath() : undefined;
  if (opts.pdf && !chromium)
    throw new UsageError(
      '--pdf prints report.html with Chromium, and none was found ' +
        '(looked for $CARBONPATH_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser); ' +
        'install it (Debian/Ubuntu: apt-get install chromium) or set CARBONPATH_CHROMIUM ' +
        'to its path, or leave out --pdf',
    );
  const samples = opts.samples ?? 1000;
  const seed = opts.seed ?? 1;
  const r = await buildReport({
    out: opts.out,
    data: opts.data,
    asOf: opts.asOf,
    actuals: opts.actuals,
    samples,
    seed,
    backtestAsOf: opts.backtestAsOf,
  });
  const warnings = printWarnings(r.runs);
  const charts: Chart[] = [
    ...r.pathwayCharts,
    ...r.uncertaintyCharts,
    ...r.offsetCharts,
    r.decompositionChart,
  ];
  const svgs = new Map<string, string>();
  const narrow = new Map<string, string>();
  for (const c of charts) {
    svgs.set(c.id, await renderSvgOrNote(c));
    narrow.set(c.id, await renderSvgOrNote(c, 'narrow'));
  }
  const tables: Table[] = [
    r.executive.targets,
    r.executive.credits,
    r.executive.sbti,
    r.headline,
    r.changes,
    r.offsetsTable,
    ...(r.creditDriversTable.rows.length ? [r.creditDriversTable] : []),
    ...[r.predicts.errors, r.predicts.coverage].filter((t) => t !== undefined),
    r.decompositionTable,
    r.assumptionsTable,
    ...r.provenanceTables,
  ];
  const file = (name: string, content: string) => ({ path: join(opts.out, name), content });
  const html = renderHtml(r, svgs, narrow, { date });
  const files: Array<{ path: string; content: string | Uint8Array }> = [
    file('report.md', renderMarkdown(r, { date })),
    file('report.html', html),
    file('report-data.json', `${JSON.stringify(r.data, null, 2)}\n`),
    ...charts.flatMap((c) => [
      file(`${c.id}.svg`, `${svgs.get(c.id)!}\n`),
      file(
        `${c.id}.csv`,
        toCsv(
          c.columns,
          c.rows.map((row) => c.columns.map((k) => row[k])),
        ),
      ),
    ]),
    ...tables.map((t) => file(`${t.id}.csv`, toCsv(t.columns, t.rows))),
    file(
      'trajectories.csv',
      trajectoriesCsv(
        r.runs.flatMap((x) => x.rows),
        'long',
        `carbonpath ${TOOL_VERSION}`,
      ),
    ),
    file('targets.csv', targetsCsv(r.evals)),
    file('sbti.csv', sbtiCsv(r.evals)),
    file('target-pathways.csv', pathwaysCsv(r.evals)),
    file('offsets.csv', offsetsCsv(r.runs)),
    ...(r.fans.length
      ? [
          file('fan.csv', fanCsv(r.fans)),
          file('target-probabilities.csv', probabilitiesCsv(r.fans)),
        ]
      : []),
    ...(r.creditDriversTable.rows.length
      ? [file('credit-sensitivity.csv', creditSensitivityCsv(r.fans, r.org.organization.currency))]
      : []),
    file('sensitivity.csv', sensitivityCsv(r.sensitivity)),
  ];
  files.push({
    path: join(opts.out, 'report.xlsx'),
    content: await workbookBytes(workbookSheets(files, opts.out), date),
  });
  if (chromium)
    files.push({ path: join(opts.out, 'report.pdf'), content: printToPdf(html, chromium) });
  const manifestOrg = {
    ...r.org,
    files: [...r.org.files, { file: r.targets.file, sha256: r.targets.sha256 }],
  };
  files.push(
    file(
      'run.json',
      runManifest(
        'report',
        { asOf: r.asOf, actuals: opts.actuals ?? null, samples, seed },
        manifestOrg,
        r.runs,
        outputNames(
          opts.out,
          files.map((f) => f.path),
        ),
      ).replace('"seed": null', `"seed": ${seed}`),
    ),
  );
  writeFilesAtomically(files);
  const off = r.evals.flatMap((e) =>
    e.results.filter((x) => x.status === 'off-track').map((x) => `${e.scenario}/${x.targetId}`),
  );
  result(
    { title: plainText(r.title), asOf: r.asOf, offTrack: off, charts: charts.length },
    files.map((f) => f.path),
  );
  const title = sanitizeForTerminal(plainText(r.title));
  print(
    `${title}\nwrote ${join(opts.out, 'report.html')}, report.md, report.xlsx` +
      `${chromium ? ', report.pdf' : ''} and ${files.length - (chromium ? 4 : 3)} more files ` +
      `(${charts.length} charts, each with its CSV)\n` +
      `${off.length} target × scenario pairs off track.\n`,
  );
  failOnConditions(failOn, { offTrack: off, warnings });
}

/** The workbook's sheets, in reading order: each is one CSV of the report, as written. */
const SHEETS: ReadonlyArray<[string, string]> = [
  ['Headline', 'headline-targets.csv'],
  ['Credits summary', 'headline-credits.csv'],
  ['SBTi', 'headline-sbti.csv'],
  ['Targets', 'targets.csv'],
  ['Targets by scenario', 'headline.csv'],
  ['Credits and costs', 'offsets.csv'],
  ['Credits summary by scenario', 'offsets-summary.csv'],
  ['Fans', 'fan.csv'],
  ['Target probabilities', 'target-probabilities.csv'],
  ['Assumptions', 'assumptions.csv'],
  ['Organization assumptions', 'provenance-assumptions.csv'],
];

function workbookSheets(
  files: ReadonlyArray<{ path: string; content: string | Uint8Array }>,
  out: string,
): Sheet[] {
  return SHEETS.flatMap(([name, csv]) => {
    const f = files.find((x) => x.path === join(out, csv));
    return f && typeof f.content === 'string' ? [{ name, csv: f.content }] : [];
  });
}
