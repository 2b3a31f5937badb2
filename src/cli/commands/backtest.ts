import { print } from '../output.js';
import { join } from 'node:path';
import {
  binomialCdf,
  NOMINAL_COVERAGE,
  runBacktest,
  TREND_YEARS,
  type BacktestResult,
} from '../../app/backtest.js';
import { runManifest } from '../../app/manifest.js';
import { writeFilesAtomically } from '../../io/atomic-write.js';
import { toCsv } from '../../io/csv-output.js';
import { sanitizeForTerminal } from '../../errors.js';
import { escapeMarkdownInline } from '../../report/escape.js';
import { fmtFixed, textTable } from '../table.js';
import { yearLabel } from '../../core/fiscal-year.js';
import { printWarnings } from '../warnings.js';

export interface BacktestCliOptions {
  out: string;
  asOf: number;
  samples?: number;
  seed?: number;
  data?: string;
  basis?: string;
  refit?: boolean;
}

/** backtest.csv: the contract columns first, then where each actual comes from. */
export function backtestCsv(r: BacktestResult): string {
  return toCsv(
    [
      'variable',
      'year',
      'actual',
      'projected',
      'error',
      'error_pct',
      'p5',
      'p95',
      'inside',
      'scenario',
      'as_of',
      'unit',
      'provenance',
      'source',
    ],
    r.rows.map((x) => [
      x.variable,
      x.year,
      x.actual,
      x.projected,
      x.error,
      x.errorPct,
      x.p5,
      x.p95,
      x.inside === undefined ? '' : String(x.inside),
      r.run.loaded.name,
      r.asOf,
      x.unit,
      x.provenance,
      x.source,
    ]),
  );
}

/** backtest-trends.csv: each trend re-fitted on the years up to the as-of year, or why not. */
export function trendsCsv(r: BacktestResult): string {
  return toCsv(
    ['field', 'series', 'method', 'years', 'central', 'min', 'max', 'was', 'note', 'sources'],
    r.refits.map((x) => [
      x.field,
      x.series,
      x.method === 'growth' ? 'compound growth per year' : 'change per year',
      x.years.join(' '),
      x.trend?.central,
      x.trend?.min,
      x.trend?.max,
      x.was,
      x.reason ?? (x.trend && x.trend.min === x.trend.max ? 'one step: no range, certain' : ''),
      x.sources.join('; '),
    ]),
  );
}

/** backtest-coverage.csv: per variable and in all, the share of actuals inside p5–p95. */
export function coverageCsv(r: BacktestResult): string {
  return toCsv(
    ['variable', 'compared', 'inside', 'coverage', 'nominal', 'p_at_most_this_many_inside'],
    r.coverage.map((c) => [
      c.variable,
      c.compared,
      c.inside,
      c.inside / c.compared,
      NOMINAL_COVERAGE,
      binomialCdf(c.inside, c.compared, NOMINAL_COVERAGE),
    ]),
  );
}

const num = (v: number | undefined) => {
  if (v === undefined) return '';
  const a = Math.abs(v);
  return fmtFixed(v, a >= 1000 ? 0 : a >= 10 ? 1 : 3);
};

/** One row as the terminal and docs/methodology.md show it: values, error %, band, inside. */
function displayRow(x: BacktestResult['rows'][number], no: string): string[] {
  return [
    x.variable,
    String(x.year),
    num(x.actual),
    num(x.projected),
    x.errorPct === undefined ? '' : `${x.errorPct >= 0 ? '+' : ''}${fmtFixed(x.errorPct, 1)}%`,
    x.p5 === undefined ? '' : `${num(x.p5)}–${num(x.p95)}`,
    x.inside === undefined ? '' : x.inside ? 'yes' : no,
  ];
}

/** The coverage sentence: inside of compared, the share, the nominal share, paths and seed. */
function coverageLine(r: BacktestResult): string | undefined {
  const all = r.coverage.at(-1)!;
  if (all.compared === 0) return undefined;
  return (
    `${all.inside} of ${all.compared} actuals inside p5–p95 ` +
    `(${fmtFixed((all.inside / all.compared) * 100, 0)}%; nominal ` +
    `${NOMINAL_COVERAGE * 100}%), ${r.samples.toLocaleString('en-US')} paths, seed ${r.seed}`
  );
}

/**
 * The backtest table and coverage as Markdown, for docs/methodology.md (npm run docs:backtest;
 * test/backtest.test.ts holds the document to it).
 */
export function backtestMarkdown(r: BacktestResult): string {
  const head = ['variable', 'FY', 'reported', 'projected', 'error', 'p5–p95', 'inside', 'source'];
  const lines = [
    `| ${head.join(' | ')} |`,
    '|---|---|--:|--:|--:|--:|:-:|---|',
    ...r.rows.map(
      (x) =>
        `| ${[...displayRow(x, 'no'), x.source].map((c) => escapeMarkdownInline(c)).join(' | ')} |`,
    ),
  ];
  const cov = coverageLine(r);
  return [...lines, '', cov ? `Band coverage: ${escapeMarkdownInline(cov)}.` : 'No bands.'].join(
    '\n',
  );
}

export async function backtestCommand(
  scenario: string | undefined,
  opts: BacktestCliOptions,
): Promise<void> {
  const samples = opts.samples ?? 1000;
  const seed = opts.seed ?? 1;
  const r = await runBacktest({
    asOf: opts.asOf,
    scenario,
    data: opts.data,
    basis: opts.basis,
    samples,
    seed,
    refit: opts.refit !== false,
  });
  printWarnings([r.run]);
  const names = ['backtest.csv', 'backtest-trends.csv', 'backtest-coverage.csv', 'run.json'];
  const manifest = runManifest(
    'backtest',
    { asOf: r.asOf, scenario: r.run.loaded.name, samples, refit: opts.refit !== false },
    r.org,
    [r.run],
    names,
  ).replace('"seed": null', `"seed": ${seed}`);
  const contents = [backtestCsv(r), trendsCsv(r), coverageCsv(r), manifest];
  writeFilesAtomically(names.map((n, i) => ({ path: join(opts.out, n), content: contents[i]! })));

  const w = print;
  const refitted = r.refits.filter((x) => x.trend).length;
  w(
    `backtest of '${sanitizeForTerminal(r.run.loaded.name)}': calibrated on the actuals up to ` +
      yearLabel(r.org.organization.fiscalYear, r.asOf) +
      (opts.refit === false
        ? ', scenario as written (its trends may use later years)'
        : `, ${refitted} trend(s) re-fitted on the latest ${TREND_YEARS} reported years ` +
          `(backtest-trends.csv)`) +
      `; projected to ${yearLabel(r.org.organization.fiscalYear, r.lastYear)} ` +
      'and compared with every reported value\n\n',
  );
  const table = r.rows.map((x) => displayRow(x, 'NO'));
  w(
    `${textTable(
      ['variable', 'year', 'actual', 'projected', 'error', 'p5–p95', 'inside'],
      table,
    )}\n\n`,
  );
  const all = r.coverage.at(-1)!;
  const cov = coverageLine(r);
  if (cov === undefined) {
    w('no uncertainty bands (--samples 0)\n');
  } else {
    const p = binomialCdf(all.inside, all.compared, NOMINAL_COVERAGE);
    w(
      `band coverage: ${cov}.\n` +
        `If the bands were right and the actuals independent, ${all.inside} or fewer inside ` +
        `would happen with probability ${p < 0.001 ? 'below 0.001' : fmtFixed(p, 3)}; the ` +
        `actuals share drivers, so read ` +
        `this as a rough guide.\n`,
    );
  }
  w(`wrote ${join(opts.out, 'backtest.csv')} and ${names.length - 1} more files\n`);
}
