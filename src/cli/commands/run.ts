import { printWarnings } from '../warnings.js';
import { checkFailOnConditions, failOnConditions } from '../fail-on.js';
import { carriedText } from '../../core/calibrate.js';
import { segmentOutput } from '../../core/structure.js';
import { join } from 'node:path';
import { runManifest } from '../../app/manifest.js';
import { projectScenarios, type ScenarioRun } from '../../app/project.js';
import { TOOL_VERSION } from '../../io/package-root.js';
import { trajectoriesCsv, type TrajectoryFormat } from '../../io/trajectory-csv.js';
import { fmtFixed, fmtInt, textTable } from '../table.js';
import { yearLabel } from '../../core/fiscal-year.js';
import { print, result, shownPath, writeOutputs } from '../output.js';

export interface RunOptions {
  out: string;
  data?: string;
  to?: number;
  basis?: string;
  format: TrajectoryFormat;
  failOn?: readonly string[] | string;
}

export async function runCommand(scenarios: string[], opts: RunOptions): Promise<void> {
  const failOn = checkFailOnConditions(opts.failOn, ['warning']);
  const { org, runs } = await projectScenarios(scenarios, opts);
  const warnings = printWarnings(runs);
  const rows = runs.flatMap((r) => r.rows);
  const csv = trajectoriesCsv(rows, opts.format, `carbonpath ${TOOL_VERSION}`);
  const manifest = runManifest(
    'run',
    { scenarios: runs.map((r) => r.loaded.name), to: opts.to ?? 2035, format: opts.format },
    org,
    runs,
    ['trajectories.csv'],
  );
  const written = writeOutputs([
    { path: join(opts.out, 'trajectories.csv'), content: csv },
    { path: join(opts.out, 'run.json'), content: manifest },
  ]);
  result(
    {
      scenarios: runs.map((r) => r.loaded.name),
      format: opts.format,
      rows: rows.length,
    },
    written,
  );
  print(
    `${summaryTable(runs, org.organization.fiscalYear)}\n\n` +
      `wrote ${shownPath(join(opts.out, 'trajectories.csv'))} ` +
      `(${rows.length} rows, ${opts.format})${written.length > 1 ? ' and run.json' : ''}\n`,
  );
  failOnConditions(failOn, { warnings });
}

/** Key figures per scenario in 2030 (or the last projected year if earlier). */
export function summaryTable(
  runs: ScenarioRun[],
  /** The organization's fiscal year: years read FY2030 only when it is not the calendar year. */
  fiscalYear: { startMonth: number },
): string {
  const fy = (y: number) => yearLabel(fiscalYear, y);
  if (runs.length === 0) return '';
  const { baseYear, endYear } = runs[0]!.compiled.axis;
  const year = Math.min(2030, endYear);
  const i = year - baseYear;
  const body = runs.map((r) => {
    const o = r.outputs;
    const c = r.compiled.base.coverage;
    const na = (ok: boolean | undefined, text: string) => (ok ? text : 'n/m');
    const dc = r.compiled.base.segments.find(
      (s) => s.scope === 2 && s.driver === 'itLoadPue' && s.dataCentre,
    );
    const pue = dc ? o[segmentOutput(dc.id, 'pue')] : undefined;
    return [
      r.loaded.name,
      na(c.scope1 && c.scope2, `${fmtInt(o.scope12[i])} (${fmtInt(o.scope12Net[i])})`),
      na(c.scope2, fmtFixed(o.cleanShare[i], 1)),
      na(c.dataCentres && pue !== undefined, fmtFixed(pue?.[i], 3)),
      na(c.scope3 && c.revenue, fmtFixed(o.scope3Intensity[i], 2)),
      na(c.avoided, fmtFixed((o.avoidedCumulative[i] ?? 0) / 1e6, 1)),
    ];
  });
  return (
    `${org(runs)} — ${fy(year)} (base year ${fy(baseYear)})\n` +
    textTable(
      [
        'scenario',
        'scope 1+2 t (net of credits)',
        'clean share %',
        'PUE self-built',
        `scope 3 t/M ${runs[0]!.compiled.base.currency}`,
        'scope 3+ cum. Mt',
      ],
      body,
    ) +
    '\n(n/m = not modelled: the inventory does not report it)' +
    runs[0]!.compiled.base.carried.map((c) => `\ncarried: ${carriedText(c, baseYear, fy)}`).join('')
  );
}

const org = (runs: ScenarioRun[]) => runs[0]!.compiled.base.organization;
