import { printWarnings } from '../warnings.js';
import { checkFailOnConditions, failOnConditions } from '../fail-on.js';
import { join } from 'node:path';
import {
  evaluateRuns,
  projectionEnd,
  recalculation,
  type ScenarioEvaluation,
} from '../../app/evaluate.js';
import { outputNames, runManifest } from '../../app/manifest.js';
import { projectScenarios } from '../../app/project.js';
import { writeFilesAtomically } from '../../io/atomic-write.js';
import { loadOrganization } from '../../io/load-organization.js';
import { loadTargets } from '../../io/load-targets.js';
import { pathwaysCsv, recalculationCsv, sbtiCsv, targetsCsv } from '../../io/targets-csv.js';
import { fmtFixed, textTable } from '../table.js';
import { yearLabel } from '../../core/fiscal-year.js';
import { print, result } from '../output.js';

export interface TargetsOptions {
  out: string;
  data?: string;
  to?: number;
  basis?: string;
  targets?: string;
  failOn?: readonly string[] | string;
}

export async function targetsCommand(scenarios: string[], opts: TargetsOptions): Promise<void> {
  const failOn = checkFailOnConditions(opts.failOn, ['off-track', 'warning']);
  const organization = loadOrganization(opts.data, opts.basis);
  const loaded = loadTargets(organization.folder, opts.targets);
  const to = projectionEnd(opts.to, loaded);
  const { org, runs } = await projectScenarios(scenarios, { org: organization, to });
  const warnings = printWarnings(runs);
  const evals = evaluateRuns(runs, loaded);
  const recalc = recalculation(loaded);

  const files = [
    { path: join(opts.out, 'targets.csv'), content: targetsCsv(evals) },
    { path: join(opts.out, 'target-pathways.csv'), content: pathwaysCsv(evals) },
  ];
  if (loaded.targets.sbti)
    files.push({ path: join(opts.out, 'sbti.csv'), content: sbtiCsv(evals) });
  if (recalc && loaded.targets.recalculation) {
    const r = loaded.targets.recalculation;
    files.push({
      path: join(opts.out, 'base-recalculation.csv'),
      content: recalculationCsv(recalc, r.baseYear, r.significance),
    });
  }
  const outputs = outputNames(
    opts.out,
    files.map((f) => f.path),
  );
  const manifestOrg = {
    ...org,
    files: [...org.files, { file: loaded.file, sha256: loaded.sha256 }],
  };
  files.push({
    path: join(opts.out, 'run.json'),
    content: runManifest(
      'targets',
      { scenarios: runs.map((r) => r.loaded.name), to, failOn },
      manifestOrg,
      runs,
      outputs,
    ),
  });
  writeFilesAtomically(files);
  result(
    {
      scenarios: evals.map((e) => ({
        scenario: e.scenario,
        // the pathway is in target-pathways.csv
        targets: e.results.map(({ pathway: _pathway, ...r }) => r),
        ...(e.sbti ? { sbti: e.sbti.summary } : {}),
      })),
      ...(recalc ? { baseRecalculation: recalc } : {}),
    },
    files.map((f) => f.path),
  );

  const fy = (y: number) => yearLabel(organization.organization.fiscalYear, y);
  print(`${statusTable(evals, fy)}\n`);
  if (loaded.targets.sbti) print(`\n${sbtiTable(evals, loaded.targets.sbti.baseYear, fy)}\n`);
  if (recalc && loaded.targets.recalculation) {
    const sig = recalc
      .filter((r) => r.significant)
      .map((r) => `${r.metric} ${fmtFixed(r.relativeChange * 100, 1)}%`);
    print(
      `\nbase-year recalculation (${fy(loaded.targets.recalculation.baseYear)}): ` +
        `${sig.length ? `required — ${sig.join(', ')}` : 'not required'}\n`,
    );
  }
  print(`\nwrote ${outputs.map((o) => join(opts.out, o)).join(', ')}\n`);

  const off = evals.flatMap((e) =>
    e.results.filter((r) => r.status === 'off-track').map((r) => `${e.scenario}/${r.targetId}`),
  );
  failOnConditions(failOn, { offTrack: off, warnings });
}

function statusTable(evals: readonly ScenarioEvaluation[], fy: (year: number) => string): string {
  const ids = evals[0]?.results.map((r) => r.targetId) ?? [];
  const rows = ids.map((id, i) => {
    const r0 = evals[0]!.results[i]!;
    const when =
      r0.kind === 'threshold'
        ? 'every yr'
        : r0.kind === 'share'
          ? `${fy(r0.deadline!)}+`
          : r0.deadline
            ? fy(r0.deadline)
            : '';
    return [
      id,
      when,
      ...evals.map((e) => {
        const r = e.results[i]!;
        if (r.status === 'not-modelled') return '—';
        const onlyWithCredits =
          r.status !== 'off-track' && r.withoutCredits?.status === 'off-track';
        return onlyWithCredits ? `${r.status}*` : r.status;
      }),
    ];
  });
  // a target that is not evaluated says why (the first scenario's reason: coverage is the same)
  const why = (evals[0]?.results ?? [])
    .filter((r) => r.status === 'not-modelled')
    .map((r) => `\n— ${r.targetId}: ${r.note ?? 'not modelled'}`);
  return (
    'target status by scenario (* = only with carbon credits: ' +
    'off track on emissions before credits; — = not modelled)\n' +
    `${textTable(['target', 'when', ...evals.map((e) => e.scenario)], rows)}${why.join('')}`
  );
}

function sbtiTable(
  evals: readonly ScenarioEvaluation[],
  baseYear: number,
  fy: (year: number) => string,
): string {
  const first = evals[0]?.sbti?.summary ?? [];
  const rows = first.map((s0, i) => [
    `${s0.scope} ${s0.benchmark}`,
    ...evals.map((e) => {
      const s = e.sbti!.summary[i]!;
      return (
        `${s.aligned ? 'aligned' : 'above'} ` +
        `${fmtFixed((s.projectedValue / s.benchmarkValue - 1) * 100, 0)}%`
      );
    }),
  ]);
  const year = first[0]?.targetYear;
  return (
    `SBTi absolute contraction, gross emissions ${fy(year!)} ` +
    `vs the ${fy(baseYear)}-based benchmark (credits never count)\n` +
    textTable(['scope / benchmark', ...evals.map((e) => e.scenario)], rows)
  );
}
