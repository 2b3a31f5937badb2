/**
 * The stable library API: what the CLI's run, targets, simulate, offsets and report do, as
 * functions that return data instead of writing files (docs/library.md). Everything else that
 * src/index.ts exports is lower level and may change between minor versions.
 */
import { evaluateRuns, projectionEnd, type ScenarioEvaluation } from './app/evaluate.js';
import type { OffsetResult } from './app/offsets.js';
import { projectScenarios, type ScenarioRun } from './app/project.js';
import { simulateRun, type SimulationResult } from './app/simulate.js';
import type { TrajectoryRow } from './core/trajectory.js';
import { loadOrganization, type LoadedOrganization } from './io/load-organization.js';
import { loadTargets, type LoadedTargets } from './io/load-targets.js';

export interface ProjectOptions {
  /** Organization folder; default: the bundled Alibaba Group. */
  data?: string;
  /** Scenario names or files; default: the organization's scenarios (else the bundled five). */
  scenarios?: string[];
  /** Last projected year; default: the targets' horizon (at least 2035), at most 2060. */
  to?: number;
  /** Reporting basis of the history; default: the organization's defaultBasis. */
  basis?: string;
  /** Targets file; default: targets.yaml in the organization folder. */
  targets?: string;
}

/** The deterministic projection of each scenario, as `carbonpath run` computes it. */
export interface Projection {
  organization: LoadedOrganization;
  targets: LoadedTargets;
  to: number;
  runs: ScenarioRun[];
  /** Every scenario's trajectory, as the rows of trajectories.csv (long format). */
  rows: TrajectoryRow[];
}

/** Project scenarios (`carbonpath run`). Bad input throws an `InputError` naming file and line. */
export async function project(opts: ProjectOptions = {}): Promise<Projection> {
  const organization = loadOrganization(opts.data, opts.basis);
  const targets = loadTargets(organization.folder, opts.targets);
  const to = projectionEnd(opts.to, targets);
  const { runs } = await projectScenarios(opts.scenarios ?? [], { org: organization, to });
  return { organization, targets, to, runs, rows: runs.flatMap((r) => r.rows) };
}

/** Every target's status per scenario (`carbonpath targets`; the rows of targets.csv). */
export function evaluateTargets(projection: Projection): ScenarioEvaluation[] {
  return evaluateRuns(projection.runs, projection.targets);
}

/** Credits to buy and their cost per scenario (`carbonpath offsets`); null: no strategy. */
export function offsets(
  projection: Projection,
): Array<{ scenario: string; offsets: OffsetResult | null }> {
  return projection.runs.map((r) => ({ scenario: r.loaded.name, offsets: r.offsets ?? null }));
}

export interface MonteCarloOptions {
  samples: number;
  seed: number;
  /** Worker threads (the results do not depend on it); default 1. */
  workers?: number;
}

/**
 * Monte Carlo (`carbonpath simulate`): per scenario the fan (p5…p95 per variable and year) and
 * the probability of meeting each target. Same seed → same numbers, whatever `workers`.
 */
export async function monteCarlo(
  projection: Projection,
  opts: MonteCarloOptions,
): Promise<Array<{ scenario: string } & SimulationResult>> {
  const out: Array<{ scenario: string } & SimulationResult> = [];
  for (const run of projection.runs) {
    const sim = await simulateRun(run, projection.organization, projection.targets, {
      samples: opts.samples,
      seed: opts.seed,
      workers: opts.workers ?? 1,
      rebuild: {
        scenario: run.loaded.chain[0]!.file,
        data: projection.organization.folder,
        to: projection.to,
        basis: projection.organization.inventory.basis,
      },
    });
    out.push({ scenario: run.loaded.name, ...sim });
  }
  return out;
}

export interface ReportOptions {
  /** Report folder; the previous report is looked for beside it. */
  out: string;
  data?: string;
  asOf?: number;
  actuals?: string;
  /** Monte Carlo paths per scenario (0 = none); default 1000. */
  samples?: number;
  seed?: number;
}

/**
 * Write the progress report (`carbonpath report`): report.html, report.md, the CSVs, run.json,
 * in one transaction. Returns the files written and the off-track target × scenario pairs.
 */
export async function writeReport(
  opts: ReportOptions,
): Promise<{ outputs: string[]; offTrack: string[] }> {
  const { reportCommand } = await import('./cli/commands/report.js');
  const { startOutput, lastResult } = await import('./cli/output.js');
  startOutput('quiet', 'report'); // nothing printed: the caller gets the result
  try {
    await reportCommand(opts);
    const { value, outputs } = lastResult();
    return { outputs, offTrack: (value as { offTrack: string[] }).offTrack };
  } finally {
    startOutput('text', '');
  }
}
