import { printWarnings } from '../warnings.js';
import { join } from 'node:path';
import { outputNames, runManifest } from '../../app/manifest.js';
import { FailOnError, sanitizeForTerminal, UsageError } from '../../errors.js';
import { writeFilesAtomically } from '../../io/atomic-write.js';
import { toCsv } from '../../io/csv-output.js';
import { offsetsCsv } from '../../io/offsets-csv.js';
import {
  creditSensitivityCsv,
  fanCsv,
  probabilitiesCsv,
  sensitivityCsv,
} from '../../io/simulate-csv.js';
import { pathwaysCsv, targetsCsv } from '../../io/targets-csv.js';
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
  failOn?: string;
  samples?: number;
  seed?: number;
}

export async function reportCommand(opts: ReportCliOptions): Promise<void> {
  if (opts.failOn !== undefined && opts.failOn !== 'off-track')
    throw new UsageError(`--fail-on takes 'off-track', not '${opts.failOn}'`);
  const samples = opts.samples ?? 1000;
  const seed = opts.seed ?? 1;
  const r = await buildReport({
    out: opts.out,
    data: opts.data,
    asOf: opts.asOf,
    actuals: opts.actuals,
    samples,
    seed,
  });
  printWarnings(r.runs);
  const charts: Chart[] = [
    ...r.pathwayCharts,
    ...r.uncertaintyCharts,
    ...r.offsetCharts,
    r.decompositionChart,
  ];
  const svgs = new Map<string, string>();
  for (const c of charts) svgs.set(c.id, await renderSvgOrNote(c));
  const tables: Table[] = [
    r.headline,
    r.changes,
    r.offsetsTable,
    ...(r.creditDriversTable.rows.length ? [r.creditDriversTable] : []),
    r.decompositionTable,
    r.assumptionsTable,
    ...r.provenanceTables,
  ];
  const file = (name: string, content: string) => ({ path: join(opts.out, name), content });
  const files = [
    file('report.md', renderMarkdown(r)),
    file('report.html', renderHtml(r, svgs)),
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
    `${title}\nwrote ${join(opts.out, 'report.html')}, report.md ` +
      `and ${files.length - 2} more files (${charts.length} charts, each with its CSV)\n` +
      `${off.length} target × scenario pairs off track.\n`,
  );
  if (opts.failOn === 'off-track' && off.length > 0)
    throw new FailOnError(`${off.length} target(s) off track: ${off.join(', ')}`);
}
