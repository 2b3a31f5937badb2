/**
 * The progress report's content, as data: every chart and table carries the rows it shows,
 * written beside the report as CSV. Rendering (Markdown, HTML) is separate.
 */
import { inputName } from '../app/manifest.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import {
  evaluateRuns,
  projectionEnd,
  recalculation,
  type ScenarioEvaluation,
} from '../app/evaluate.js';
import { projectScenarios, type ScenarioRun } from '../app/project.js';
import { breaksInHistory } from '../app/series-breaks.js';
import {
  creditTornado,
  simulateRun,
  tornado,
  type CreditSensitivityRow,
  type SensitivityRow,
} from '../app/simulate.js';
import { CREDIT_COST_VARIABLE, type FanRow, type Probability } from '../app/montecarlo.js';
import { decomposeScope2Market, EFFECTS, type Decomposition } from '../core/decomposition.js';
import { loadOrganization, type LoadedOrganization } from '../io/load-organization.js';
import { conversionLines } from '../io/units.js';
import { loadTargets, type LoadedTargets } from '../io/load-targets.js';
import { PACKAGE_ROOT, TOOL_VERSION } from '../io/package-root.js';
import {
  bandChart,
  barChart,
  fanChart,
  lineChart,
  scenarioColors,
  type Chart,
  type ChartBreak,
} from './charts.js';
import { buildPredicts, type Predicts } from './predicts.js';
import { concat, prose, type Text } from './text.js';
import { carriedText, uniqueWarnings, type BaseState } from '../core/calibrate.js';
import type { Creditable } from '../core/model.js';
import { yearLabel } from '../core/fiscal-year.js';
import { buildHeadline, notShownNote, type Headline, type Table } from './headline.js';

export type { Table } from './headline.js';

export interface ReportOptions {
  out: string;
  data?: string | undefined;
  asOf?: number | undefined;
  actuals?: string | undefined;
  samples: number;
  seed: number;
  /** The year the "How well it predicts" backtest starts from (default: the latest possible). */
  backtestAsOf?: number | undefined;
}

/** What the next report compares against (report-data.json). */
export interface ReportData {
  tool: string;
  organization: string;
  asOf: number;
  keyYear: number;
  scenarios: Record<string, { values: Record<string, number>; statuses: Record<string, string> }>;
}

export interface Report {
  title: Text;
  subtitle: Text[];
  asOf: number;
  /** The executive summary at the top (its tables are written as CSV too). */
  executive: Headline;
  headline: Table;
  changes: Table;
  changesNote: Text;
  pathwayCharts: Chart[];
  uncertaintyCharts: Chart[];
  offsetCharts: Chart[];
  offsetsTable: Table;
  /**
   * What moves the first scenario's credit bill most (one at a time, Monte Carlo engine);
   * no rows without a strategy or a simulation.
   */
  creditDriversTable: Table;
  decompositionChart: Chart;
  decompositionTable: Table;
  assumptionsTable: Table;
  provenanceTables: Table[];
  data: ReportData;
  runs: ScenarioRun[];
  evals: ScenarioEvaluation[];
  fans: Array<{
    scenario: string;
    fan: FanRow[];
    probabilities: Probability[];
    creditSensitivity: CreditSensitivityRow[];
  }>;
  sensitivity: Array<{ scenario: string; sensitivity: SensitivityRow[] }>;
  org: LoadedOrganization;
  targets: LoadedTargets;
  notes: Text[];
  /** The backtest from an earlier year of the same data ("How well it predicts"). */
  predicts: Predicts;
}

export const KEY_YEAR = 2030;
const KEY_VARIABLES = [
  'Emissions|Scope 1+2',
  'Emissions|Scope 1+2|Net',
  'Emissions|Scope 2|Market-based',
  'Emissions|Scope 3',
  'Intensity|Scope 3',
  'Electricity|Clean Share',
  'PUE|Self-built DC',
  'Avoided Emissions|Scope 3+|Cumulative',
  'Cost|Offsets|Central',
] as const;

const value = (run: ScenarioRun, variable: string, year: number): number | undefined =>
  run.rows.find((r) => r.variable === variable && r.year === year)?.value;

function previousReport(
  out: string,
  asOf: number,
): { data: ReportData; folder: string } | undefined {
  const root = dirname(resolve(out));
  const here = resolve(out);
  if (!existsSync(root)) return undefined;
  const found: Array<{ data: ReportData; folder: string }> = [];
  for (const name of readdirSync(root)) {
    const folder = join(root, name);
    const file = join(folder, 'report-data.json');
    if (folder === here || !existsSync(file)) continue;
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as ReportData;
      if (typeof data.asOf === 'number' && data.asOf <= asOf) found.push({ data, folder });
    } catch {
      /* not a carbonpath report: ignore */
    }
  }
  found.sort(
    (a, b) => b.data.asOf - a.data.asOf || basename(b.folder).localeCompare(basename(a.folder)),
  );
  return found[0];
}

export async function buildReport(opts: ReportOptions): Promise<Report> {
  const organization = loadOrganization(opts.data, undefined, {
    actuals: opts.actuals,
    asOf: opts.asOf,
  });
  const targets = loadTargets(organization.folder);
  const to = projectionEnd(undefined, targets);
  const { org, runs } = await projectScenarios([], { org: organization, to });
  const evals = evaluateRuns(runs, targets);
  const colors = scenarioColors(runs.map((r) => r.loaded.name));
  const base = runs[0]!.compiled.base;
  const asOf = base.baseYear;
  /** A year as the organization says it (FY2030 only for a non-calendar fiscal year). */
  const fy = (y: number | string) => yearLabel(org.organization.fiscalYear, y);
  const unitOf = (variable: string) =>
    runs[0]!.rows.find((r) => r.variable === variable)?.unit ?? '';

  const fans: Report['fans'] = [];
  if (opts.samples > 0) {
    for (const run of runs) {
      const sim = await simulateRun(run, org, targets, {
        samples: opts.samples,
        seed: opts.seed,
        workers: 1,
        rebuild: { scenario: run.loaded.chain[0]!.file, data: opts.data, to },
      });
      fans.push({
        scenario: run.loaded.name,
        fan: sim.fan,
        probabilities: sim.probabilities,
        creditSensitivity: creditTornado(sim.plan),
      });
    }
  }
  const sensitivity = [
    { scenario: runs[0]!.loaded.name, sensitivity: tornado(runs[0]!, org, targets) },
  ];
  const predicts = await buildPredicts({
    org,
    data: opts.data,
    actuals: opts.actuals,
    asOf,
    backtestAsOf: opts.backtestAsOf,
    scenario: runs[0]!.loaded.name,
    samples: opts.samples,
    seed: opts.seed,
    fy,
  });

  // Headline: every target × scenario
  const prob = (scenario: string, id: string) =>
    fans.find((f) => f.scenario === scenario)?.probabilities.find((p) => p.targetId === id);
  const headline: Table = {
    id: 'headline',
    title: 'Targets at a glance',
    columns: [
      'target',
      'scenario',
      'deadline',
      'status',
      'status_without_credits',
      'probability',
      'gap',
      'unit',
    ],
    rows: evals.flatMap((e) =>
      e.results
        .filter((r) => r.status !== 'not-modelled')
        .map((r) => [
          r.targetId,
          e.scenario,
          r.deadline,
          r.status,
          r.withoutCredits?.status,
          prob(e.scenario, r.targetId)?.probability,
          r.gap,
          r.unit,
        ]),
    ),
    note: concat(
      prose`gap > 0 is a shortfall in the metric's unit; `,
      prose`probability from Monte Carlo (with credits).`,
      notShownNote(evals[0]!.results),
    ),
  };

  // Drift since the previous report
  const data: ReportData = {
    tool: `carbonpath ${TOOL_VERSION}`,
    organization: base.organization,
    asOf,
    keyYear: KEY_YEAR,
    scenarios: Object.fromEntries(
      runs.map((run, k) => [
        run.loaded.name,
        {
          values: Object.fromEntries(
            KEY_VARIABLES.map((v) => [v, value(run, v, KEY_YEAR)]).filter(
              ([, x]) => x !== undefined,
            ),
          ),
          statuses: Object.fromEntries(evals[k]!.results.map((r) => [r.targetId, r.status])),
        },
      ]),
    ),
  };
  const prev = previousReport(opts.out, asOf);
  const changes: Table = {
    id: 'changes',
    title: prose`What changed since the last report (${fy(KEY_YEAR)} values)`,
    columns: ['scenario', 'item', 'previous', 'current', 'change', 'unit'],
    rows: [],
  };
  let changesNote: Text;
  if (!prev) {
    changesNote = concat(
      prose`No earlier report was found beside this one `,
      prose`(in ${basename(dirname(resolve(opts.out)))}/), so there is nothing to compare yet.`,
    );
  } else {
    changesNote = concat(
      prose`Compared with the report in ${basename(prev.folder)}`,
      prose` (as of ${fy(prev.data.asOf)}).`,
    );
    for (const [scenario, now] of Object.entries(data.scenarios)) {
      const before = prev.data.scenarios[scenario];
      if (!before) {
        changes.rows.push([scenario, 'scenario', 'absent', 'new', undefined, '']);
        continue;
      }
      for (const v of KEY_VARIABLES) {
        const a = before.values[v];
        const b = now.values[v];
        if (a === undefined || b === undefined) continue;
        changes.rows.push([scenario, v, a, b, b - a, unitOf(v)]);
      }
      for (const [id, st] of Object.entries(now.statuses)) {
        if (before.statuses[id] !== undefined && before.statuses[id] !== st)
          changes.rows.push([scenario, `status ${id}`, before.statuses[id], st, undefined, '']);
      }
    }
  }

  // Trajectories against required pathways
  const history = (variable: string) =>
    runs[0]!.rows
      .filter((r) => r.variable === variable && r.kind === 'actual')
      .map((r) => ({ series: 'reported', year: r.year, value: r.value }));
  const projected = (variable: string, scale = 1) =>
    runs.flatMap((run) => [
      ...(value(run, variable, asOf) !== undefined
        ? [{ series: run.loaded.name, year: asOf, value: value(run, variable, asOf)! * scale }]
        : []),
      ...run.rows
        .filter((r) => r.variable === variable && r.kind === 'projected')
        .map((r) => ({ series: run.loaded.name, year: r.year, value: r.value * scale })),
    ]);
  const pathway = (id: string, label: string, scale = 1) =>
    (evals[0]!.results.find((r) => r.targetId === id)?.pathway ?? []).map((p) => ({
      series: label,
      year: p.year,
      value: p.required * scale,
    }));
  // Breaks in the reported history (organization.yaml seriesBreaks): drawn on every line chart
  // of a variable they name, listed in the notes
  const breaks = breaksInHistory(org.organization.seriesBreaks, org.inventory.basis, asOf);
  const breaksOf = (variable: string): ChartBreak[] =>
    breaks
      .filter((b) => b.variables.includes(variable))
      .map((b) => ({ year: b.year, label: b.label }));
  const breaksCaption = (variable: string): Text =>
    concat(
      ...breaks
        .filter((b) => b.variables.includes(variable))
        .map(
          (b) => prose` Dotted rule, ${fy(b.year - 1)} → ${fy(b.year)}: ${b.label} (see Notes).`,
        ),
    );
  const flat = (label: string, v: number, from: number, until: number) => [
    { series: label, year: from, value: v },
    { series: label, year: until, value: v },
  ];
  // One chart per modelled target: its metric (before credits where the target has that view),
  // the required pathway from the latest actual, and the target level.
  const sbtiCfg = targets.targets.sbti;
  const pathwayCharts: Chart[] = [];
  evals[0]!.results.forEach((res, i) => {
    const t = targets.targets.targets[i]!;
    if (res.status === 'not-modelled' || t.kind === 'not-modelled') return;
    const beforeCredits =
      'gross' in t && t.gross && t.kind !== 'net-zero'
        ? t.gross
        : t.kind === 'net-zero'
          ? t.gross
          : undefined;
    const variable = t.kind === 'cumulative' ? undefined : (beforeCredits ?? t.metric);
    const series = variable ?? `${t.metric}|Cumulative`;
    const all = [...history(series), ...projected(series)];
    if (all.length === 0) return;
    const baseUnit = unitOf(series) || res.unit;
    const big = baseUnit === 't CO2e' && Math.max(...all.map((r) => Math.abs(r.value))) >= 1e6;
    const scale = big ? 1e-6 : 1;
    const unit = big ? 'Mt CO2e' : baseUnit;
    const rows = all.map((r) => ({ ...r, value: r.value * scale }));
    // the required pathway only where it is drawn on the same quantity
    if (variable === t.metric || t.kind === 'cumulative')
      rows.push(...pathway(t.id, 'required pathway', scale));
    const level = res.targetValue;
    const from =
      t.kind === 'share'
        ? t.fromYear
        : t.kind === 'threshold'
          ? (t.fromYear ?? Math.min(...all.map((r) => r.year)))
          : Math.min(...all.map((r) => r.year));
    if (level !== undefined && t.kind !== 'net-zero')
      rows.push(
        ...flat(
          `target ${fmtLevel(level)}${big ? ' t' : ''}` +
            `${t.kind === 'share' ? ` from ${fy(t.fromYear)}` : ''}`,
          level * scale,
          from,
          to,
        ),
      );
    if (t.kind === 'net-zero') rows.push(...pathway(t.id, 'required pathway to net zero', scale));
    if (sbtiCfg && variable && sbtiCfg.scopes.some((sc) => sc.metric === variable)) {
      const scope = sbtiCfg.scopes.find((sc) => sc.metric === variable)!.id;
      const b = sbtiCfg.benchmarks[0]!;
      rows.push(
        ...(evals[0]!.sbti?.rows ?? [])
          .filter((r) => r.scope === scope && r.benchmark === b.id && r.year <= to)
          .map((r) => ({
            series: `SBTi ${b.id} benchmark`,
            year: r.year,
            value: r.benchmarkValue * scale,
          })),
      );
    }
    const caption = concat(
      prose`${t.title}.`,
      beforeCredits
        ? prose` Shown before credits: credits close the rest where the strategy buys them.`
        : prose``,
      prose` Dashed: the required linear pathway from the latest actual and the target level.`,
      breaksCaption(series),
    );
    pathwayCharts.push(
      lineChart(
        `chart-target-${t.id.replace(/[^a-z0-9-]/g, '-')}`,
        `${t.title}`,
        caption,
        unit,
        rows,
        colors,
        breaksOf(series),
      ),
    );
  });
  // The grid emission factor behind location-based scope 2: reported, then per scenario
  const grid = 'Grid Emission Factor';
  const gridRows = [...history(grid), ...projected(grid)];
  if (gridRows.length > 0) {
    pathwayCharts.push(
      lineChart(
        'chart-grid-factor',
        'Grid emission factor (location-based)',
        concat(
          prose`Reported: (location-based scope 2 − purchased heat × its factor) ÷ purchased `,
          prose`electricity; projected: each scenario's grid factor path.`,
          breaksCaption(grid),
        ),
        unitOf(grid),
        gridRows,
        colors,
        breaksOf(grid),
      ),
    );
  }

  // Charts about what this organization does not report (no scenario line) are left out.
  const names = new Set(runs.map((r) => r.loaded.name));
  for (let i = pathwayCharts.length - 1; i >= 0; i--) {
    if (!pathwayCharts[i]!.rows.some((row) => names.has(String(row.series))))
      pathwayCharts.splice(i, 1);
  }

  // Uncertainty
  const uncertaintyCharts: Chart[] = [];
  const baseFan = fans[0];
  const fanOf = (variable: string, scale = 1) =>
    (baseFan?.fan ?? [])
      .filter((f) => f.variable === variable)
      .map((f) => ({
        year: f.year,
        p5: f.quantiles[0]! * scale,
        p25: f.quantiles[2]! * scale,
        p50: f.quantiles[3]! * scale,
        p75: f.quantiles[4]! * scale,
        p95: f.quantiles[6]! * scale,
      }));
  if (baseFan) {
    uncertaintyCharts.push(
      fanChart(
        'chart-fan-scope12',
        `Scope 1+2 before credits, ${baseFan.scenario}: 5–95% and 25–75% bands`,
        `${opts.samples.toLocaleString('en-US')} Monte Carlo paths, seed ${opts.seed}.`,
        'Mt CO2e',
        fanOf('Emissions|Scope 1+2', 1e-6),
        colors.get(baseFan.scenario)!,
      ),
      fanChart(
        'chart-fan-clean-share',
        `Group clean-electricity share, ${baseFan.scenario}: 5–95% and 25–75% bands`,
        `Electricity-weighted over the scope 2 segments: ${base.segments
          .filter((g) => g.scope === 2)
          .map((g) => g.label)
          .join(', ')}.`,
        '%',
        fanOf('Electricity|Clean Share'),
        colors.get(baseFan.scenario)!,
      ),
    );
  }

  // Offsets
  const withOffsets = runs.filter((r) => r.offsets);
  const offsetCharts: Chart[] = [];
  // costs come in the organization's currency (the price book converts to it), real money of
  // the price file's year
  const cur = org.organization.currency;
  const moneyYear = withOffsets[0]?.offsets!.prices.prices.moneyYear;
  const offsetsTable: Table = {
    id: 'offsets-summary',
    title: concat(
      prose`Credits to buy and their cost (M ${cur}, `,
      prose`real${moneyYear ? ` ${moneyYear}` : ''} money)`,
    ),
    columns: [
      'scenario',
      'first credit year',
      `credits ${fy(2030)} t`,
      `cost ${fy(2030)} low`,
      'central',
      'high',
      `credits ${fy(2030)}–35 t`,
      `cost ${fy(2030)}–35 central`,
      'NPV low',
      'NPV central',
      'NPV high',
      'discount rate',
      `credits ${cur}/t ${fy(2030)}`,
      `clean power ${cur}/t ${fy(2030)}`,
      `${fy(2030)}–35 nominal`,
      'inflation',
    ],
    percent: [11, 15],
    rows: [],
    note:
      `costs in M ${cur}; clean power = green electricity certificates for the part of the ` +
      "residual that is electricity; nominal: central cost in each year's money at the " +
      "scenario's offsets.inflation",
  };
  if (withOffsets.length > 0) {
    offsetCharts.push(
      lineChart(
        'chart-credits',
        'Credits retired per year',
        concat(
          prose`Equal to the residual of the targets met with credits `,
          prose`(${creditedText(base, withOffsets[0]!.offsets!.plan)}).`,
        ),
        'Mt CO2e',
        withOffsets.flatMap((r) =>
          r.offsets!.plan[0]!.total.length
            ? Array.from({ length: r.compiled.axis.endYear - asOf }, (_, i) => ({
                series: r.loaded.name,
                year: asOf + 1 + i,
                value: r.offsets!.plan.reduce((s, t) => s + t.total[i + 1]!, 0) / 1e6,
              }))
            : [],
        ),
        colors,
      ),
    );
    const b = withOffsets[0]!;
    offsetCharts.push(
      bandChart(
        'chart-credit-cost',
        `Cost of credits per year, ${b.loaded.name}: central with low–high band`,
        `Prices from ${relative(PACKAGE_ROOT, b.offsets!.prices.file)}, ` +
          `converted at its exchange rates; real${moneyYear ? ` ${moneyYear}` : ''} money.`,
        `M ${cur}`,
        Array.from({ length: b.compiled.axis.endYear - asOf }, (_, i) => {
          const year = asOf + 1 + i;
          // the trajectory's yearly cost per band
          const at = (band: string) => value(b, `Cost|Offsets|${band}`, year) ?? 0;
          return {
            series: b.loaded.name,
            year,
            low: at('Low'),
            central: at('Central'),
            high: at('High'),
          };
        }),
        colors,
      ),
    );
    // the volume to budget for: credits are the residual, so they carry the drivers' uncertainty
    if (baseFan && baseFan.scenario === b.loaded.name) {
      const cost = fanOf(CREDIT_COST_VARIABLE);
      if (cost.some((d) => d.p95 > 0)) {
        offsetCharts.push(
          fanChart(
            'chart-fan-credit-cost',
            `Cost of the credits at central prices, ${b.loaded.name}: 5–95% and 25–75% bands`,
            'How the uncertain volume moves the bill; ' +
              'the price bands above show how prices move it.',
            `M ${cur}`,
            cost,
            colors.get(b.loaded.name)!,
          ),
        );
      }
      for (const [variable, id, what] of [
        ['Offsets|Scope 1+2', 'chart-fan-credits-scope12', 'Scope 1+2'],
        ['Offsets|Scope 3', 'chart-fan-credits-scope3', 'Scope 3'],
      ] as const) {
        const data = fanOf(variable, 1e-6);
        if (data.some((d) => d.p95 > 0)) {
          offsetCharts.push(
            fanChart(
              id,
              `${what} credits to buy per year, ${b.loaded.name}: 5–95% and 25–75% bands`,
              concat(
                prose`The residual on each of ${opts.samples.toLocaleString('en-US')} `,
                prose`Monte Carlo paths (seed ${opts.seed}); `,
                prose`the 95th percentile is a prudent volume to budget.`,
              ),
              'Mt CO2e',
              data,
              colors.get(b.loaded.name)!,
            ),
          );
        }
      }
    }
    for (const r of withOffsets) {
      const s = r.offsets!.summary;
      const cp = r.offsets!.cleanPower.find(
        (c) =>
          c.band === 'central' && c.year === s.year && c.targetId === r.offsets!.plan[0]?.targetId,
      );
      offsetsTable.rows.push([
        r.loaded.name,
        s.firstYear === undefined ? '' : fy(s.firstYear),
        s.tonnes,
        s.cost.low / 1e6,
        s.cost.central / 1e6,
        s.cost.high / 1e6,
        s.cumulative.tonnes,
        s.cumulative.cost.central / 1e6,
        s.npv.low / 1e6,
        s.npv.central / 1e6,
        s.npv.high / 1e6,
        s.discountRate,
        cp?.creditCostPerTonne,
        cp?.costPerTonne,
        s.cumulative.nominalCost ? s.cumulative.nominalCost.central / 1e6 : undefined,
        r.offsets!.nominal?.inflation,
      ]);
    }
  }

  const drivers = fans.find((f) => f.creditSensitivity.length > 0);
  const creditDriversTable: Table = {
    id: 'credit-drivers',
    title: `What moves the credit bill, ${drivers?.scenario ?? ''}`,
    columns: [
      'rank',
      'uncertain number',
      'field',
      'at its 5th percentile',
      'at its 95th',
      `bill at low, M ${cur}`,
      `bill at high, M ${cur}`,
      `swing, M ${cur}`,
    ],
    rows: (drivers?.creditSensitivity ?? [])
      .filter((d) => d.swing > 0)
      .slice(0, 6)
      .map((d) => [
        d.rank,
        d.parameter,
        d.path,
        d.lowInput,
        d.highInput,
        d.atLow,
        d.atHigh,
        d.swing,
      ]),
    note: concat(
      prose`the bill from the first projected year to `,
      prose`${fy(drivers?.creditSensitivity[0]?.toYear ?? '')} at the central price band; `,
      prose`one number at a time, the others central (full list: credit-sensitivity.csv)`,
    ),
  };

  // Decomposition of market-based scope 2, latest actual → 2030
  const decomps: Array<{ scenario: string; d: Decomposition }> = runs.map((r) => ({
    scenario: r.loaded.name,
    d: decomposeScope2Market(r.compiled.base, r.inputs, r.outputs, asOf, asOf, KEY_YEAR),
  }));
  const effectLabel: Record<string, string> = {
    activity: 'activity (electricity demand)',
    pue: 'PUE',
    cleanShare: 'clean share',
    gridFactor: 'grid and residual-mix factor',
    heat: 'purchased heat',
  };
  const decompositionChart = barChart(
    'chart-decomposition',
    `Why market-based scope 2 changes, ${fy(asOf)} → ${fy(KEY_YEAR)}`,
    'Additive LMDI-I: the effects sum to the total change.',
    'kt CO2e',
    decomps.flatMap(({ scenario, d }) =>
      EFFECTS.map((k) => ({
        category: effectLabel[k]!,
        series: scenario,
        value: d.effects[k] / 1e3,
      })),
    ),
    colors,
  );
  const decompositionTable: Table = {
    id: 'decomposition',
    title: prose`Market-based scope 2, ${fy(asOf)} → ${fy(KEY_YEAR)} (t CO2e)`,
    columns: ['scenario', fy(asOf), ...EFFECTS, fy(KEY_YEAR), 'residual'],
    labels: [
      'scenario',
      fy(asOf),
      ...EFFECTS.map((k) => effectLabel[k]!),
      fy(KEY_YEAR),
      'residual',
    ],
    // whole tonnes like the effects beside it: the residual is ~1e-6 t of rounding
    decimals: [undefined, undefined, ...EFFECTS.map(() => undefined), undefined, 0],
    rows: decomps.map(({ scenario, d }) => [
      scenario,
      d.from,
      ...EFFECTS.map((k) => d.effects[k]),
      d.to,
      d.residual,
    ]),
  };

  // Assumptions that drive the result most (baseline tornado)
  const whyOf = (path: string): string => {
    const parts = path.split('.');
    let v: unknown = runs[0]!.loaded.scenario;
    let why: string | undefined;
    for (const p of parts) {
      if (!v || typeof v !== 'object') break;
      if ((v as { why?: string }).why) why = (v as { why: string }).why;
      v = (v as Record<string, unknown>)[p];
    }
    if (v && typeof v === 'object' && (v as { why?: string }).why) why = (v as { why: string }).why;
    return (why ?? '').replace(/\s+/g, ' ').trim();
  };
  // the top-ranked driver of each target, the targets with the largest swing first
  const top = sensitivity[0]!.sensitivity
    .filter((s) => s.rank === 1 && s.swing > 0)
    .sort((a, b) => b.swing - a.swing);
  const assumptionsTable: Table = {
    id: 'assumptions',
    title: prose`The assumptions that move the results most (${runs[0]!.loaded.name})`,
    columns: [
      'target',
      'assumption',
      'field',
      '5th percentile',
      '95th percentile',
      'gap at 5th',
      'gap at 95th',
      'why',
    ],
    rows: top.map((s) => [
      s.targetId,
      s.parameter,
      s.path,
      s.lowInput,
      s.highInput,
      s.gapAtLow,
      s.gapAtHigh,
      whyOf(s.path),
    ]),
  };

  // Provenance appendix
  const provenanceTables: Table[] = [
    {
      id: 'provenance-inputs',
      title: 'Input files',
      columns: ['file', 'sha256'],
      rows: [
        ...org.files,
        { file: targets.file, sha256: targets.sha256 },
        ...runs.flatMap((r) => r.loaded.chain.map((c) => ({ file: c.file, sha256: c.sha256 }))),
      ]
        .filter((f, i, a) => a.findIndex((g) => g.file === f.file) === i)
        .map((f) => [inputName(org, f.file), f.sha256]),
    },
    {
      id: 'provenance-assumptions',
      title: 'Organization assumptions',
      columns: ['name', 'value', 'unit', 'provenance', 'source'],
      rows: base.assumptions.map((a) => [
        a.name,
        a.value,
        a.unit,
        a.provenance,
        a.source.replace(/\s+/g, ' '),
      ]),
    },
    {
      id: 'provenance-calibration',
      title: prose`Calibration terms (${fy(asOf)})`,
      columns: ['name', 'value', 'unit', 'formula'],
      rows: base.terms.map((t) => [t.name, t.value, t.unit, t.formula]),
    },
  ];
  const recalc = recalculation(targets);
  const sourceOf = (s: string | undefined) => (s ? `: ${s}` : '');
  if (recalc && targets.targets.recalculation) {
    provenanceTables.push({
      id: 'provenance-recalculation',
      title: concat(
        prose`Base-year recalculation test (${fy(targets.targets.recalculation.baseYear)}, `,
        prose`threshold ${targets.targets.recalculation.significance * 100}% of the cumulative `,
        prose`change${sourceOf(targets.targets.recalculation.significanceSource)})`,
      ),
      columns: ['metric', 'original', 'recalculated', 'change', 'recalculate'],
      percent: [3],
      rows: recalc.map((r) => [
        r.metric,
        r.original,
        r.recalculated,
        r.relativeChange,
        r.significant ? 'yes' : 'no',
      ]),
    });
  }

  provenanceTables.push({
    id: 'provenance-targets',
    title: 'Where each target is stated',
    columns: ['target id', 'target', 'source'],
    rows: targets.targets.targets.map((t) => [t.id, t.title, t.source]),
  });

  const executive = buildHeadline({
    evals,
    probabilities: prob,
    offsets: withOffsets.map((r) => ({
      scenario: r.loaded.name,
      summary: r.offsets!.summary,
      costFan: (fans.find((f) => f.scenario === r.loaded.name)?.fan ?? []).filter(
        (f) => f.variable === CREDIT_COST_VARIABLE,
      ),
    })),
    currency: cur,
    fiscalYear: org.organization.fiscalYear,
    changes: { rows: changes.rows.length, note: changesNote },
  });

  const notes: Text[] = [];
  // what the data cannot fully support, as on stderr and in run.json
  for (const w of uniqueWarnings(runs)) {
    notes.push(prose`Warning: ${w.message}${w.fix ? ` (fix: ${w.fix})` : ''}`);
  }
  // a series reported up to an earlier year than the others: carried, and said so
  for (const c of base.carried) notes.push(prose`${carriedText(c, base.baseYear)}.`);
  // a reported series that changes basis: drawn on its charts, said here
  for (const b of breaks)
    notes.push(
      concat(
        prose`Series break, ${fy(b.year - 1)} → ${fy(b.year)} (${b.variables.join(', ')}): `,
        prose`${b.reason} Source: ${b.source}.`,
      ),
    );
  // inventory values read in another unit, converted through the unit table (as in run.json)
  for (const line of conversionLines(org.conversions, (f) => inputName(org, f)))
    notes.push(prose`Unit conversion: ${line}.`);
  for (const r of runs)
    if (r.compiled.superseded.length)
      notes.push(
        concat(
          prose`${r.loaded.name}: scenario points at or before ${fy(asOf)} `,
          prose`are superseded by the actuals and ignored: ${r.compiled.superseded.join(', ')}`,
        ),
      );

  return {
    title: prose`${base.organization}: climate pathway progress report, as of ${fy(asOf)}`,
    subtitle: [
      concat(
        prose`Latest actual year ${fy(asOf)} (${org.organization.fiscalYear.note}); `,
        prose`basis ${org.inventory.basis}; projections to ${fy(to)}.`,
      ),
      concat(
        prose`Scenarios: ${runs.map((r) => r.loaded.name).join(', ')}. `,
        opts.samples > 0
          ? concat(
              prose`Monte Carlo: ${opts.samples.toLocaleString('en-US')} paths per scenario, `,
              prose`seed ${opts.seed}.`,
            )
          : prose`No Monte Carlo (--samples 0).`,
      ),
      concat(
        prose`carbonpath ${TOOL_VERSION}. Every chart and table has its CSV in this folder; `,
        prose`run.json lists the inputs and their hashes.`,
      ),
    ],
    asOf,
    executive,
    headline,
    changes,
    changesNote,
    pathwayCharts,
    uncertaintyCharts,
    offsetCharts,
    offsetsTable,
    creditDriversTable,
    decompositionChart,
    decompositionTable,
    assumptionsTable,
    provenanceTables,
    data,
    runs,
    evals,
    fans,
    sensitivity,
    org,
    targets,
    notes,
    predicts,
  };
}

const fmtLevel = (v: number): string =>
  Math.abs(v) >= 1e6
    ? `${(v / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })} M`
    : v.toLocaleString('en-US', { maximumFractionDigits: 3 });

/** What a scenario's credits are retired against, in words: 'scope 1+2; Leased data centres'. */
function creditedText(base: BaseState, plan: ReadonlyArray<{ creditable: Creditable }>): string {
  const words = (c: Creditable): string => {
    if (c === 'scope12') return 'scope 1+2';
    if (c === 'scope3') return 'scope 3';
    if (c === 'scope123') return 'scope 1+2+3';
    const id = c.slice('category:'.length);
    return base.categories.find((k) => k.id === id)?.label ?? id;
  };
  return [...new Set(plan.map((t) => words(t.creditable)))].join('; ');
}
