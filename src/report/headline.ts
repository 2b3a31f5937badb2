/**
 * The executive headline: what is on track, what is not, what it costs. Built only from the
 * objects the rest of the report shows (target evaluations, Monte Carlo probabilities, the
 * offsets summary, the SBTi summary, the drift table): no number is computed twice, and each
 * headline table is written beside the report as CSV like every other table.
 */
import type { ScenarioEvaluation } from '../app/evaluate.js';
import type { FanRow, Probability } from '../app/montecarlo.js';
import type { OffsetSummary } from '../core/offsets.js';
import type { TargetResult } from '../core/targets.js';
import { yearLabel } from '../core/fiscal-year.js';
import { concat, prose, type Text } from './text.js';

/** Strings in columns and rows are free text (escaped when rendered); numbers are ours. */
export interface Table {
  id: string;
  title: Text;
  columns: string[];
  rows: Array<Array<string | number | undefined>>;
  note?: Text;
  /** Column headings as shown, where the CSV's are names for scripts (same order). */
  labels?: string[];
  /** Column indexes holding fractions that the report shows as percentages (CSV keeps them). */
  percent?: number[];
  /** Decimals shown per column where the default would show rounding noise (CSV keeps all). */
  decimals?: Array<number | undefined>;
}

export interface Headline {
  scenario: string;
  paragraph: Text[];
  targets: Table;
  credits: Table;
  sbti: Table;
}

export interface HeadlineInputs {
  evals: readonly ScenarioEvaluation[];
  probabilities: (scenario: string, targetId: string) => Probability | undefined;
  offsets: ReadonlyArray<{ scenario: string; summary: OffsetSummary; costFan: FanRow[] }>;
  currency: string;
  /** The organization's fiscal year: years read FY2030 only when it is not the calendar year. */
  fiscalYear: { startMonth: number };
  changes: { rows: number; note: Text };
}

/** A target's status in words, with credits and — where it differs — without them. */
export function statusWords(r: Pick<TargetResult, 'status' | 'withoutCredits'>): string {
  const words = { met: 'met', 'on-track': 'on track', 'off-track': 'off track' } as const;
  if (r.status === 'not-modelled') return 'not modelled';
  const w = words[r.status];
  if (r.status !== 'off-track' && r.withoutCredits?.status === 'off-track')
    return `${w} with credits`;
  return w;
}

/**
 * A gap in the unit a reader expects: percentage points for shares (the metric is already in
 * %), Mt for tonnes; other units as the target file gives them.
 */
export function readerUnit(unit: string): { unit: string; scale: number } {
  if (unit === '%') return { unit: 'pp', scale: 1 };
  if (unit === 't CO2e') return { unit: 'Mt CO2e', scale: 1e-6 };
  if (unit === '1' || unit === '') return { unit: '', scale: 1 };
  return { unit, scale: 1 };
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  const r = Math.round(v * f) / f;
  return Object.is(r, -0) ? 0 : r;
};

/** A shortfall (> 0) or margin (≤ 0) as words: "30.4 pp short", "213.5 Mt CO2e ahead". */
export function gapWords(gap: number | undefined, unit: string): string {
  if (gap === undefined) return '';
  const a = Math.abs(gap);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  const n = round(a, digits).toLocaleString('en-US', { maximumFractionDigits: digits });
  if (round(a, digits) === 0) return 'on the target';
  return `${n}${unit ? ` ${unit}` : ''} ${gap > 0 ? 'short' : 'ahead'}`;
}

/**
 * The targets a table leaves out (not modelled), each with why: a target is never dropped from a
 * table without a line saying so. Empty when none is left out.
 */
export function notShownNote(results: readonly TargetResult[]): Text {
  const left = results
    .filter((r) => r.status === 'not-modelled')
    .map((r) => `${r.targetId}${r.note ? `: ${r.note.replace(/\.$/, '')}` : ''}`)
    .join('; ');
  if (left === '') return prose``;
  return prose` Not in this table (not modelled): ${left}.`;
}

export function buildHeadline(h: HeadlineInputs): Headline {
  const first = h.evals[0]!;
  const scenario = first.scenario;
  const modelled = first.results.filter((r) => r.status !== 'not-modelled');
  const fy = (y: number) => yearLabel(h.fiscalYear, y);

  const targets: Table = {
    id: 'headline-targets',
    title: prose`The targets in the ${scenario} scenario`,
    columns: [
      'target',
      'deadline',
      'status',
      'probability %',
      'shortfall',
      'unit',
      'shortfall in words',
      'target id',
    ],
    rows: modelled.map((r) => {
      const u = readerUnit(r.unit);
      const gap = r.gap === undefined ? undefined : r.gap * u.scale;
      const p = h.probabilities(scenario, r.targetId)?.probability;
      return [
        r.title,
        r.deadline === undefined ? undefined : fy(r.deadline),
        statusWords(r),
        p === undefined ? undefined : p * 100,
        gap,
        u.unit,
        gapWords(gap, u.unit),
        r.targetId,
      ];
    }),
    note: concat(
      prose`status with credits where the target allows them; probability from Monte Carlo; `,
      prose`shortfall: how far the projection misses the target at its deadline `,
      prose`(negative: the margin; pp = percentage points). Every scenario: headline.csv.`,
      notShownNote(first.results),
    ),
  };

  const cur = h.currency;
  const to = h.offsets[0]?.summary.cumulative.to ?? 2035;
  const credits: Table = {
    id: 'headline-credits',
    title: prose`Credits to buy and their cost (M ${cur})`,
    columns: [
      'scenario',
      'first credit year',
      'year',
      'credits Mt CO2e',
      `cost central M ${cur}`,
      `cost p5 M ${cur}`,
      `cost p95 M ${cur}`,
      `cost at low price M ${cur}`,
      `cost at high price M ${cur}`,
      `total to ${fy(to)} central M ${cur}`,
      `NPV central M ${cur}`,
    ],
    rows: h.offsets.map(({ scenario: s, summary, costFan }) => {
      const fan = costFan.find((f) => f.year === summary.year);
      return [
        s,
        summary.firstYear === undefined ? 'none' : fy(summary.firstYear),
        fy(summary.year),
        summary.tonnes / 1e6,
        summary.cost.central / 1e6,
        fan?.quantiles[0],
        fan?.quantiles[6],
        summary.cost.low / 1e6,
        summary.cost.high / 1e6,
        summary.cumulative.cost.central / 1e6,
        summary.npv.central / 1e6,
      ];
    }),
    note: concat(
      prose`cost in the deadline year at central prices; p5–p95 from Monte Carlo (uncertain `,
      prose`volume, central prices); low–high: the price bands (central volume); `,
      prose`total from the deadline year to ${fy(to)}; NPV of that stream. `,
      prose`From offsets-summary.csv and fan.csv.`,
    ),
  };

  const sbtiRows = (first.sbti?.summary ?? []).map((s) => [
    scenario,
    s.scope,
    s.benchmark,
    fy(s.targetYear),
    s.benchmarkValue / 1e6,
    s.projectedValue / 1e6,
    s.gap / 1e6,
    s.aligned ? 'aligned' : 'not aligned',
  ]);
  const sbti: Table = {
    id: 'headline-sbti',
    title: prose`Alignment with SBTi benchmarks, ${scenario} (gross emissions, no credits)`,
    columns: [
      'scenario',
      'scope',
      'benchmark',
      'year',
      'benchmark Mt CO2e',
      'projected Mt CO2e',
      'above benchmark Mt CO2e',
      'alignment',
    ],
    rows: sbtiRows,
    note: 'SBTi counts no credits; every scenario and year: sbti.csv.',
  };

  // The paragraph: plain words over the same rows; the table names the targets on track.
  const by = (words: string) => modelled.filter((r) => statusWords(r) === words);
  const ok = [...by('met'), ...by('on track')];
  const credited = [...by('met with credits'), ...by('on track with credits')];
  const off = by('off track');
  const offWords = off.map((r) => `${r.title}, ${gapWords(gapOf(r), readerUnit(r.unit).unit)}`);
  const paragraph: Text[] = [];
  paragraph.push(
    concat(
      prose`In the ${scenario} scenario, ${String(off.length)} of ${String(modelled.length)} `,
      prose`targets are off track`,
      off.length ? prose`: ${offWords.join('; ')}. ` : prose`. `,
      prose`${String(credited.length)} are on track only with the credits bought, `,
      prose`${String(ok.length)} are met or on track on emissions alone.`,
    ),
  );
  const main = h.offsets.find((o) => o.scenario === scenario);
  if (main && main.summary.tonnes > 0) {
    const s = main.summary;
    const fan = main.costFan.find((f) => f.year === s.year);
    paragraph.push(
      concat(
        prose`Meeting the neutrality targets takes ${mt(s.tonnes)} Mt CO2e of credits `,
        prose`in ${fy(s.year)}, costing ${money(s.cost.central / 1e6)} M ${cur} `,
        fan ? prose`(${range(fan.quantiles[0]!, fan.quantiles[6]!)} M ${cur} ` : prose`(`,
        fan ? prose`with the uncertain volume; ` : prose``,
        prose`${range(s.cost.low / 1e6, s.cost.high / 1e6)} M ${cur} `,
        prose`across price bands), `,
        prose`${money(s.cumulative.cost.central / 1e6)} M ${cur} to ${fy(s.cumulative.to)} `,
        prose`(NPV ${money(s.npv.central / 1e6)} M ${cur} at ${pctWords(s.discountRate)}).`,
      ),
    );
  } else if (main) {
    paragraph.push(prose`The ${scenario} scenario needs no credits.`);
  }
  const sb = first.sbti?.summary ?? [];
  if (sb.length) {
    const scopes = [...new Set(sb.map((x) => x.scope))].map((scope) => {
      const of = sb.filter((x) => x.scope === scope);
      const yes = of.filter((x) => x.aligned).map((x) => inWords(x.benchmark));
      const no = of.filter((x) => !x.aligned).map((x) => inWords(x.benchmark));
      return (
        `${inWords(scope)} ` +
        [
          yes.length ? `within the ${yes.join(' and ')} benchmark${yes.length > 1 ? 's' : ''}` : '',
          no.length ? `above the ${no.join(' and ')} benchmark${no.length > 1 ? 's' : ''}` : '',
        ]
          .filter(Boolean)
          .join(', ')
      );
    });
    paragraph.push(
      concat(
        prose`SBTi view (gross emissions, no credits) in ${fy(sb[0]!.targetYear)}: `,
        prose`${scopes.join('; ')}.`,
      ),
    );
  }
  paragraph.push(
    h.changes.rows > 0
      ? concat(h.changes.note, prose` ${String(h.changes.rows)} changes are listed below.`)
      : h.changes.note,
  );
  return { scenario, paragraph, targets, credits, sbti };
}

const gapOf = (r: TargetResult) =>
  r.gap === undefined ? undefined : r.gap * readerUnit(r.unit).scale;
const mt = (t: number) => (t / 1e6).toLocaleString('en-US', { maximumFractionDigits: 2 });
const money = (m: number) =>
  m.toLocaleString('en-US', { maximumFractionDigits: Math.abs(m) >= 100 ? 0 : 1 });
const range = (low: number, high: number) => `${money(low)}–${money(high)}`;
const pctWords = (f: number) =>
  `${(f * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })}% a year`;

/** An SBTi scope or benchmark id in words: scope-1+2 → scope 1+2, 1.5C → 1.5 °C. */
function inWords(id: string): string {
  return id
    .replace(/(\d)C$/, '$1 °C')
    .replace(/-/g, ' ')
    .replace(/^well below/, 'well-below');
}
