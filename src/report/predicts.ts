/**
 * "How well it predicts": the backtest (src/app/backtest.ts) run from an earlier year of the
 * report's own data, its errors against every later actual and the share inside p5–p95.
 */
import {
  binomialCdf,
  latestBacktestYear,
  NOMINAL_COVERAGE,
  runBacktest,
  TREND_YEARS,
  type BacktestResult,
} from '../app/backtest.js';
import { InputError } from '../errors.js';
import type { LoadedOrganization } from '../io/load-organization.js';
import type { Table } from './headline.js';
import { concat, prose, type Text } from './text.js';

export interface Predicts {
  /** What was calibrated on what, and the coverage, in sentences. */
  text: Text[];
  /** Every later actual against the projection (absent when no year can be backtested). */
  errors?: Table | undefined;
  coverage?: Table | undefined;
}

export interface PredictsOptions {
  org: LoadedOrganization;
  data: string | undefined;
  actuals: string | undefined;
  /** The report's latest actual year: the backtest compares only with actuals up to it. */
  asOf: number;
  /** --backtest-as-of, else the latest year that leaves a later actual. */
  backtestAsOf: number | undefined;
  scenario: string;
  samples: number;
  seed: number;
  fy: (year: number | string) => string;
}

export async function buildPredicts(o: PredictsOptions): Promise<Predicts> {
  const from = o.backtestAsOf ?? latestBacktestYear(o.org);
  if (from === undefined)
    return { text: [prose`No backtest: the inventory has one reported year, nothing to compare.`] };
  if (o.backtestAsOf !== undefined && o.backtestAsOf >= o.asOf) {
    throw new InputError({
      path: '--backtest-as-of',
      message:
        `--backtest-as-of ${o.backtestAsOf} leaves no later actual in this report ` +
        `(its latest actual year is ${o.asOf})`,
      fix: `give a year before ${o.asOf}`,
    });
  }
  let r: BacktestResult;
  try {
    r = await runBacktest({
      asOf: from,
      scenario: o.scenario,
      data: o.data,
      actuals: o.actuals,
      upTo: o.asOf,
      samples: o.samples,
      seed: o.seed,
      refit: true,
      flag: '--backtest-as-of',
    });
  } catch (e) {
    // a year the user chose must work; the default one may not (data too thin then): say so
    if (o.backtestAsOf !== undefined || !(e instanceof InputError)) throw e;
    const why = e.problems.map((p) => p.message).join('; ');
    return {
      text: [
        concat(
          prose`No backtest from ${o.fy(from)}: ${why}. `,
          prose`Choose another year with --backtest-as-of.`,
        ),
      ],
    };
  }
  // no bands (--samples 0): no coverage to tabulate
  const banded = r.coverage.some((c) => c.compared > 0);
  return {
    text: sentences(r, o.fy),
    errors: errorTable(r, o.fy),
    coverage: banded ? coverageTable(r) : undefined,
  };
}

/** What was calibrated on what, and how many actuals fell inside the band. */
function sentences(r: BacktestResult, fy: PredictsOptions['fy']): Text[] {
  const fitted = r.refits.filter((x) => x.trend);
  const years = [...new Set(fitted.flatMap((x) => x.years))].sort((a, b) => a - b);
  const range = (a: number, b: number) => (a === b ? fy(a) : `${fy(a)}–${fy(b)}`);
  const span = years.length ? range(years[0]!, years.at(-1)!) : '';
  const later = range(r.asOf + 1, r.lastYear);
  const trends = fitted.length === 1 ? 'trend' : 'trends';
  const calibrated = concat(
    prose`The model was calibrated on the actuals up to ${fy(r.asOf)} only, `,
    fitted.length
      ? concat(
          prose`with ${fitted.length} data-derived ${trends} of the ${r.run.loaded.name} `,
          prose`scenario re-fitted on the reported years ${span} (at most the latest `,
          prose`${TREND_YEARS}); the scenario's other assumptions are as written`,
        )
      : prose`with the ${r.run.loaded.name} scenario as written`,
    prose`, and may have been set knowing later years. It was then projected to `,
    prose`${fy(r.lastYear)} and each actual reported for ${later} is compared with the `,
    prose`projection.`,
  );
  const all = r.coverage.at(-1)!;
  if (all.compared === 0) return [calibrated, prose`No uncertainty bands (--samples 0).`];
  const p = binomialCdf(all.inside, all.compared, NOMINAL_COVERAGE);
  const share = ((all.inside / all.compared) * 100).toFixed(1);
  return [
    calibrated,
    concat(
      prose`${all.inside} of ${all.compared} actuals fell inside the Monte Carlo p5–p95 band `,
      prose`(${share}%; nominally ${NOMINAL_COVERAGE * 100}%), `,
      prose`${r.samples.toLocaleString('en-US')} paths, seed ${r.seed}. `,
      prose`Were the bands right and the actuals independent, ${all.inside} or fewer inside `,
      prose`would happen with probability ${p < 0.001 ? 'below 0.001' : p.toFixed(3)}; `,
      prose`the actuals share drivers, so read this as a rough guide.`,
    ),
  ];
}

function errorTable(r: BacktestResult, fy: PredictsOptions['fy']): Table {
  return {
    id: 'backtest',
    title: prose`Projected from ${fy(r.asOf)} against what was reported`,
    columns: [
      'variable',
      'year',
      'actual',
      'projected',
      'error',
      'p5',
      'p95',
      'inside',
      'unit',
      'source',
    ],
    labels: [
      'variable',
      'year',
      'reported',
      'projected',
      'error',
      'p5',
      'p95',
      'inside p5–p95',
      'unit',
      'source',
    ],
    percent: [4],
    rows: r.rows.map((x) => [
      x.variable,
      fy(x.year),
      x.actual,
      x.projected,
      x.errorPct === undefined ? undefined : x.errorPct / 100,
      x.p5,
      x.p95,
      x.inside === undefined ? '' : x.inside ? 'yes' : 'no',
      x.unit,
      x.source,
    ]),
    note: prose`error = (projected − reported) ÷ reported; the source is the reported value's`,
  };
}

function coverageTable(r: BacktestResult): Table {
  return {
    id: 'backtest-coverage',
    title: 'Actuals inside the p5–p95 band',
    columns: ['variable', 'compared', 'inside', 'coverage', 'nominal'],
    percent: [3, 4],
    rows: r.coverage
      .filter((c) => c.compared > 0)
      .map((c) => [c.variable, c.compared, c.inside, c.inside / c.compared, NOMINAL_COVERAGE]),
    note: prose`per variable, then all together ('all')`,
  };
}
