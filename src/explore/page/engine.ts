/**
 * The explorer's computation: the CLI's own app and core functions (runLoaded, seriesOf,
 * evaluateRunTargets, simulateRun) on the files the CLI embedded. Runs on the page's main
 * thread (deterministic runs) and in its Web Worker (Monte Carlo).
 */
import { Inventory } from '../../core/inventory.js';
import type { TargetResult } from '../../core/targets.js';
import type { OffsetSummary } from '../../core/offsets.js';
import { CarbonpathError } from '../../errors.js';
import type { LoadedOrganization } from '../../io/load-organization.js';
import type { LoadedScenario } from '../../io/load-scenario.js';
import type { LoadedTargets } from '../../io/load-targets.js';
import type { ScenarioFile } from '../../schema/scenario.js';
import { evaluateRunTargets, seriesOf } from '../../app/evaluate.js';
import { runLoaded, type ScenarioRun } from '../../app/project.js';
import { simulateRun } from '../../app/simulate.js';
import { QUANTILES, type FanRow, type Probability } from '../../app/montecarlo.js';
import type { ExplorerData } from '../data.js';
import { pageFiles } from './shims/files.js';

export interface Series {
  unit: string;
  years: number[];
  values: number[];
  /** Index of the first projected year. */
  projectedFrom: number;
}

export interface Outcome {
  series: Record<string, Series>;
  targets: TargetResult[];
  offsets?: (OffsetSummary & { currency: string }) | undefined;
}

/** A variable's Monte Carlo percentiles by year (the CLI's fan.csv rows, by column). */
export interface Band {
  years: number[];
  p5: number[];
  p25: number[];
  p50: number[];
  p75: number[];
  p95: number[];
}

export interface Simulated {
  probabilities: Probability[];
  bands: Record<string, Band>;
}

export interface Engine {
  data: ExplorerData;
  run(index: number, scenario: ScenarioFile): Promise<Outcome>;
  simulate(index: number, scenario: ScenarioFile): Promise<Simulated>;
}

/** A problem the page shows as a note (the message of an input error, without the stack). */
export const messageOf = (e: unknown): string =>
  e instanceof CarbonpathError || e instanceof Error ? e.message : String(e);

export function makeEngine(data: ExplorerData): Engine {
  pageFiles.formulas = data.formulas;
  const org: LoadedOrganization = {
    folder: data.folder,
    organization: data.organization,
    inventory: new Inventory(data.inventory.rows, data.inventory.basis, data.inventory.file),
    files: [],
    conversions: [],
  };
  const targets: LoadedTargets | undefined = data.targets && {
    ...data.targets,
    source: { file: data.targets.file, value: data.targets.targets, lineOf: () => undefined },
  };
  const loadedOf = (index: number, scenario: ScenarioFile): LoadedScenario => {
    const s = data.scenarios[index]!;
    pageFiles.prices = s.prices;
    pageFiles.targets = targets;
    return {
      name: s.name,
      scenario,
      chain: s.chain.map((c) => ({
        file: c.file,
        sha256: '',
        source: { file: c.file, value: c.value, lineOf: () => undefined },
      })),
    };
  };
  const runOf = (index: number, scenario: ScenarioFile): Promise<ScenarioRun> =>
    runLoaded(loadedOf(index, scenario), org, data.endYear);
  return {
    data,
    async run(index, scenario) {
      const run = await runOf(index, scenario);
      return {
        series: seriesFrom(run),
        targets: targets ? evaluateRunTargets(targets, seriesOf(run)) : [],
        offsets: run.offsets && { ...run.offsets.summary, currency: run.offsets.book.currency },
      };
    },
    async simulate(index, scenario) {
      if (!targets) return { probabilities: [], bands: {} };
      const run = await runOf(index, scenario);
      const r = await simulateRun(run, org, targets, {
        samples: data.samples,
        seed: data.seed,
        workers: 1,
        rebuild: { scenario: run.loaded.name, to: data.endYear },
      });
      return { probabilities: r.probabilities, bands: bandsOf(r.fan) };
    },
  };
}

/** Each trajectory variable of the run (as in trajectories.csv), years in order. */
function seriesFrom(run: ScenarioRun): Record<string, Series> {
  const out: Record<string, Series> = {};
  for (const r of run.rows) {
    const s = (out[r.variable] ??= { unit: r.unit, years: [], values: [], projectedFrom: -1 });
    if (r.kind === 'projected' && s.projectedFrom < 0) s.projectedFrom = s.years.length;
    s.years.push(r.year);
    s.values.push(r.value);
  }
  return out;
}

/** The fan rows (simulateRun, as `simulate` writes fan.csv) as one band per variable. */
function bandsOf(fan: readonly FanRow[]): Record<string, Band> {
  const at = (q: number) => QUANTILES.indexOf(q as (typeof QUANTILES)[number]);
  const [i5, i25, i50, i75, i95] = [0.05, 0.25, 0.5, 0.75, 0.95].map(at) as number[];
  const out: Record<string, Band> = {};
  for (const f of fan) {
    const b = (out[f.variable] ??= { years: [], p5: [], p25: [], p50: [], p75: [], p95: [] });
    b.years.push(f.year);
    b.p5.push(f.quantiles[i5!]!);
    b.p25.push(f.quantiles[i25!]!);
    b.p50.push(f.quantiles[i50!]!);
    b.p75.push(f.quantiles[i75!]!);
    b.p95.push(f.quantiles[i95!]!);
  }
  return out;
}
