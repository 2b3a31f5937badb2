import { printWarnings } from '../warnings.js';
import { checkFailOnConditions, failOnConditions } from '../fail-on.js';
import { join } from 'node:path';
import { projectionEnd } from '../../app/evaluate.js';
import { runManifest } from '../../app/manifest.js';
import { projectScenarios } from '../../app/project.js';
import { CREDIT_COST_CUMULATIVE, CREDIT_COST_VARIABLE } from '../../app/montecarlo.js';
import {
  creditTornado,
  defaultWorkers,
  simulateRun,
  sobolIndices,
  tornado,
  type CreditSensitivityRow,
} from '../../app/simulate.js';
import { MAX_SAMPLES, MAX_SEED, MAX_SOBOL_SAMPLES, MAX_WORKERS } from '../../app/limits.js';
import { UsageError } from '../../errors.js';
import { writeFilesAtomically } from '../../io/atomic-write.js';
import { loadOrganization } from '../../io/load-organization.js';
import { loadTargets } from '../../io/load-targets.js';
import {
  creditSensitivityCsv,
  fanCsv,
  probabilitiesCsv,
  sensitivityCsv,
  sobolCsv,
} from '../../io/simulate-csv.js';
import { progressBar } from '../progress.js';
import { fmtFixed, textTable } from '../table.js';
import { yearLabel } from '../../core/fiscal-year.js';
import { print, result } from '../output.js';

export interface SimulateCliOptions {
  out: string;
  samples: number;
  seed: number;
  workers?: number;
  sobol?: number;
  data?: string;
  to?: number;
  basis?: string;
  failOn?: readonly string[] | string;
}

export async function simulateCommand(
  scenarios: string[],
  opts: SimulateCliOptions,
): Promise<void> {
  if (!Number.isInteger(opts.samples) || opts.samples < 1 || opts.samples > MAX_SAMPLES) {
    throw new UsageError(
      `--samples must be a whole number from 1 to ${MAX_SAMPLES.toLocaleString('en-US')}`,
    );
  }
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > MAX_SEED)
    throw new UsageError(`--seed must be a whole number from 0 to ${MAX_SEED}`);
  const failOn = checkFailOnConditions(opts.failOn, ['warning']);
  const workers = opts.workers ?? defaultWorkers(opts.samples);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS)
    throw new UsageError(`--workers must be a whole number from 1 to ${MAX_WORKERS}`);
  const sobol = opts.sobol;
  if (sobol !== undefined && (!Number.isInteger(sobol) || sobol < 1 || sobol > MAX_SOBOL_SAMPLES))
    throw new UsageError(
      `--sobol must be a whole number from 1 to ${MAX_SOBOL_SAMPLES.toLocaleString('en-US')}`,
    );

  const organization = loadOrganization(opts.data, opts.basis);
  const targets = loadTargets(organization.folder);
  const to = projectionEnd(opts.to, targets);
  const { org, runs } = await projectScenarios(scenarios, { org: organization, to });
  const warnings = printWarnings(runs);
  const results: Array<
    {
      scenario: string;
      sensitivity: ReturnType<typeof tornado>;
      uncertain: number;
      sobol: ReturnType<typeof sobolIndices>;
      creditSensitivity: CreditSensitivityRow[];
    } & Awaited<ReturnType<typeof simulateRun>>
  > = [];
  for (const run of runs) {
    const bar = progressBar(opts.samples, run.loaded.name);
    const scenarioArg = run.loaded.chain[0]!.file;
    const sim = await simulateRun(run, org, targets, {
      samples: opts.samples,
      seed: opts.seed,
      workers,
      rebuild: { scenario: scenarioArg, data: opts.data, to, basis: opts.basis },
      onProgress: bar ? (n) => bar.tick(n) : undefined,
    });
    bar?.done();
    results.push({
      scenario: run.loaded.name,
      ...sim,
      sensitivity: tornado(run, org, targets),
      uncertain: run.compiled.uncertain.length,
      sobol: opts.sobol ? sobolIndices(run.loaded, sim.plan, opts.seed, opts.sobol) : [],
      creditSensitivity: creditTornado(sim.plan),
    });
  }
  const withCredits = results.some((r) => r.creditSensitivity.length > 0);
  const outputs = [
    'fan.csv',
    'target-probabilities.csv',
    'sensitivity.csv',
    ...(withCredits ? ['credit-sensitivity.csv'] : []),
    ...(opts.sobol ? ['sobol.csv'] : []),
  ];
  const manifestOrg = {
    ...org,
    files: [...org.files, { file: targets.file, sha256: targets.sha256 }],
  };
  const manifest = runManifest(
    'simulate',
    { scenarios: runs.map((r) => r.loaded.name), to, samples: opts.samples, seed: opts.seed },
    manifestOrg,
    runs,
    outputs,
  );
  writeFilesAtomically([
    { path: join(opts.out, 'fan.csv'), content: fanCsv(results) },
    { path: join(opts.out, 'target-probabilities.csv'), content: probabilitiesCsv(results) },
    { path: join(opts.out, 'sensitivity.csv'), content: sensitivityCsv(results) },
    ...(withCredits
      ? [
          {
            path: join(opts.out, 'credit-sensitivity.csv'),
            content: creditSensitivityCsv(results, org.organization.currency),
          },
        ]
      : []),
    ...(opts.sobol ? [{ path: join(opts.out, 'sobol.csv'), content: sobolCsv(results) }] : []),
    {
      path: join(opts.out, 'run.json'),
      content: manifest.replace('"seed": null', `"seed": ${opts.seed}`),
    },
  ]);

  result(
    {
      samples: opts.samples,
      seed: opts.seed,
      scenarios: results.map((r) => ({
        scenario: r.scenario,
        probabilities: r.probabilities,
        sensitivity: r.sensitivity,
        clamped: r.clamped,
      })),
    },
    outputs.map((o) => join(opts.out, o)).concat(join(opts.out, 'run.json')),
  );
  const ids = results[0]?.probabilities.map((p) => p.targetId) ?? [];
  const rows = ids.map((id, k) => [
    id,
    ...results.map((r) => {
      const p = r.probabilities[k]!;
      const wo =
        p.probabilityWithoutCredits === undefined
          ? ''
          : ` (${fmtFixed(p.probabilityWithoutCredits * 100, 0)}%)`;
      return `${fmtFixed(p.probability * 100, 1)}%${wo}`;
    }),
  ]);
  print(
    `probability of meeting each target, ${opts.samples.toLocaleString('en-US')} paths, ` +
      `seed ${opts.seed} (without credits in brackets)\n`,
  );
  print(`${textTable(['target', ...results.map((r) => r.scenario)], rows)}\n`);
  // Credits to budget for, in the first year any path buys them (p50 and p5–p95, Mt CO2e)
  const creditRows = results.flatMap((r) =>
    ['Offsets|Scope 1+2', 'Offsets|Scope 3'].flatMap((variable) => {
      const series = r.fan.filter((f) => f.variable === variable);
      const first = series.find((f) => f.quantiles[6]! > 0);
      if (!first) return [];
      const mt = (v: number) => fmtFixed(v / 1e6, 2);
      return [
        [
          r.scenario,
          variable.replace('Offsets|', ''),
          yearLabel(organization.organization.fiscalYear, first.year),
          mt(first.quantiles[3]!),
          `${mt(first.quantiles[0]!)}–${mt(first.quantiles[6]!)}`,
          mt(first.mean),
        ],
      ];
    }),
  );
  if (creditRows.length > 0) {
    print(
      '\ncredits to buy in the first credit year (Mt CO2e; every year in fan.csv)\n' +
        `${textTable(['scenario', 'scope', 'year', 'p50', 'p5–p95', 'mean'], creditRows)}\n`,
    );
  }
  for (const r of results) {
    const c = r.fan.find((f) => f.variable === CREDIT_COST_VARIABLE && f.quantiles[6]! > 0);
    const total = r.fan.filter((f) => f.variable === CREDIT_COST_CUMULATIVE).at(-1);
    if (!c || !total) continue;
    const m = (v: number) => fmtFixed(v, 1);
    const fy = (y: number) => yearLabel(organization.organization.fiscalYear, y);
    const q = (f: typeof c) =>
      `${m(f.quantiles[3]!)} ${f.unit} (p5–p95 ${m(f.quantiles[0]!)}–${m(f.quantiles[6]!)})`;
    const prices = r.plan.creditCost?.uncertainPrices.length
      ? 'central price band × the uncertain price multipliers'
      : 'central price band';
    print(
      `${r.scenario}: their cost (${prices}): ${fy(c.year)} ${q(c)}; ` +
        `${fy(c.year)}–${fy(total.year)} in all ${q(total)} (all bands: carbonpath offsets)\n`,
    );
    const drivers = r.creditSensitivity.filter((s) => s.swing > 0).slice(0, 3);
    if (drivers.length > 0)
      print(
        '  what moves that total most (5th → 95th percentile, the others central): ' +
          `${drivers.map((s) => `${s.parameter} ${m(s.atLow)} → ${m(s.atHigh)}`).join('; ')}` +
          ' (credit-sensitivity.csv)\n',
      );
  }
  for (const r of results) {
    if (r.uncertain === 0)
      print(
        `\nnote: ${r.scenario} has no uncertain numbers, so every path is the deterministic run\n`,
      );
    const clamped = Object.entries(r.clamped);
    if (clamped.length > 0)
      print(
        `\nnote: ${r.scenario}: some paths were held at a quantity's bounds: ` +
          `${clamped.map(([k, v]) => `${k} (${v} paths)`).join(', ')}\n`,
      );
  }
  print(`\nwrote ${outputs.map((o) => join(opts.out, o)).join(', ')}\n`);
  failOnConditions(failOn, { warnings });
}
