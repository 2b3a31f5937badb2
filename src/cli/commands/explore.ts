/**
 * carbonpath explore: the scenario explorer as one self-contained explorer.html. The organization
 * and scenarios are loaded, validated and run exactly as `run` does (projectScenarios), then
 * embedded with the page's script (built by `npm run build` into dist/explore/page.js).
 */
import { print } from '../output.js';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { evaluateRuns } from '../../app/evaluate.js';
import { loadParser, projectScenarios, type ScenarioRun } from '../../app/project.js';
import { InputError, UsageError } from '../../errors.js';
import { writeFilesAtomically } from '../../io/atomic-write.js';
import { ownerOf, scenarioNamesFor } from '../../io/load-scenario.js';
import { loadTargets } from '../../io/load-targets.js';
import { BUNDLED_SCENARIOS, PACKAGE_ROOT, TOOL_VERSION } from '../../io/package-root.js';
import { readInputFile } from '../../io/safe-path.js';
import type { ExplorerData, ExplorerScenario } from '../../explore/data.js';
import { formulasIn, parsedFormulas } from '../../explore/formulas.js';
import { explorerHtml } from '../../explore/html.js';
import {
  findLevers,
  unsetLevers,
  type FieldPath,
  type Lever,
  type Quantity,
} from '../../explore/levers.js';
import { printWarnings } from '../warnings.js';

export interface ExploreOptions {
  out: string;
  data?: string;
  to?: number;
  basis?: string;
  open?: boolean;
  serve?: boolean;
  port?: number;
}

export const PAGE_SCRIPT = join(PACKAGE_ROOT, 'dist', 'explore', 'page.js');
/** The report's palette (Vega's category10 as vega-lite draws it), in the report's order. */
const COLOURS = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2'];
/** Monte Carlo in the page: as many paths as the report's default, the same seed. */
const SAMPLES = 1000;
const SEED = 1;

export async function exploreCommand(
  scenario: string | undefined,
  opts: ExploreOptions,
): Promise<void> {
  // the same loading, validation and run as `carbonpath run [scenario]`
  const { org, runs } = await projectScenarios(scenario ? [scenario] : [], opts);
  printWarnings(runs);
  const targetsFile = join(org.folder, 'targets.yaml');
  const targets = existsSync(targetsFile) ? loadTargets(org.folder) : undefined;
  // a target the model cannot evaluate is refused here, as by `targets`
  if (targets) evaluateRuns(runs, targets);
  if (!existsSync(PAGE_SCRIPT))
    throw new InputError({
      file: PAGE_SCRIPT,
      message: "the explorer page's script has not been built",
      fix: 'run npm run build (npm ci runs it)',
    });
  const own = scenarioNamesFor(org.folder);
  const formulas = formulasIn(runs.map((r) => r.loaded.scenario));
  const data: ExplorerData = {
    version: TOOL_VERSION,
    organization: org.organization,
    dataArg: opts.data,
    folder: shown(org.folder),
    inventory: {
      rows: [...org.inventory.rows],
      basis: org.inventory.basis,
      file: shown(org.inventory.file),
    },
    targets: targets && {
      file: shown(targets.file),
      sha256: targets.sha256,
      targets: targets.targets,
    },
    endYear: runs[0]!.compiled.axis.endYear,
    scenarios: runs.map((r, i) =>
      explorerScenario(r, own.names.indexOf(r.loaded.name), i, opts.out, shown(org.inventory.file)),
    ),
    start: 0,
    samples: SAMPLES,
    seed: SEED,
    formulas: formulas.size ? parsedFormulas(formulas, await loadParser()) : {},
  };
  const html = explorerHtml(data, readFileSync(PAGE_SCRIPT, 'utf8'));
  const file = join(opts.out, 'explorer.html');
  writeFilesAtomically([{ path: file, content: html }]);
  const url = pathToFileURL(resolve(file)).href;
  print(
    `wrote ${file} (${runs.length} scenario${runs.length === 1 ? '' : 's'}, ` +
      `${data.scenarios.reduce((n, s) => n + s.levers.length, 0)} levers; works offline)\n`,
  );
  if (opts.serve) await serve(html, opts.port ?? 8765);
  else if (opts.open) openInBrowser(url);
  else print(`open ${url}\n`);
}

/** A path as the user can find it: from here, else in the carbonpath package. */
function shown(p: string): string {
  const here = relative(process.cwd(), p);
  if (!here.startsWith('..')) return here || '.';
  const inPackage = relative(PACKAGE_ROOT, p);
  return inPackage.startsWith('..') ? p : `carbonpath/${inPackage}`;
}

function explorerScenario(
  run: ScenarioRun,
  order: number,
  index: number,
  out: string,
  inventory: string,
): ExplorerScenario {
  const loaded = run.loaded;
  const leaf = loaded.chain[0]!.file;
  const bundled = resolve(dirname(leaf)) === resolve(BUNDLED_SCENARIOS);
  const levers: Lever[] = [
    ...findLevers(loaded.scenario).map((l) => ({ ...l, source: sourceOf(run, l.paths[0]!) })),
    ...unsetLevers(loaded.scenario, quantitiesOf(run), {
      baseYear: run.compiled.base.baseYear,
      endYear: run.compiled.axis.endYear,
      scenarioFile: shown(leaf),
      baseFrom: inventory,
    }),
  ];
  return {
    name: loaded.name,
    title: loaded.scenario.title ?? loaded.name,
    file: shown(leaf),
    // a bundled scenario is found by name from any folder; a file, beside it, by its file name
    // (a bare `baseline` would also name the bundled one: the run would note the ambiguity)
    extendsAs: bundled ? loaded.name : basename(leaf),
    saveIn: bundled ? out.replace(/\/+$/, '') || '.' : shown(dirname(leaf)),
    scenario: loaded.scenario,
    chain: loaded.chain.map((c) => ({ file: shown(c.file), value: c.source.value })),
    prices: run.offsets && { ...run.offsets.prices, file: shown(run.offsets.prices.file) },
    levers,
    colour: COLOURS[(order >= 0 ? order : index) % COLOURS.length]!,
  };
}

/** Every yearly quantity of the organization: its declared inputs, fuels and programmes. */
function quantitiesOf(run: ScenarioRun): Quantity[] {
  const base = run.compiled.base;
  const family = (
    fam: 'fuels' | 'avoided',
    id: string,
    label: string,
    unit: string,
    v: number,
  ) => ({
    key: `${fam}.${id}`,
    unit,
    min: 0,
    default: 'hold' as const,
    base: v,
    description: `${label}: ${fam === 'fuels' ? 'consumption' : 'avoided emissions (scope 3+)'}.`,
  });
  return [
    ...base.inputs,
    ...base.fuels.map((f) => family('fuels', f.id, f.label, f.unit, f.base)),
    // a reported total without a breakdown is one path (parameters.avoided.total), not a lever
    ...(base.avoidedTotalOnly
      ? []
      : base.programmes.map((p) => family('avoided', p.id, p.label, 't CO2e', p.base))),
  ];
}

/**
 * Where a lever's default comes from: the file and line that set it, that line's comment, and
 * the `why` of the quantity it belongs to.
 */
function sourceOf(run: ScenarioRun, path: FieldPath): string {
  const owner = ownerOf(run.loaded, path);
  const line = owner.source.lineOf(path);
  let comment = '';
  if (line !== undefined) {
    const text = readInputFile(owner.file).split(/\r?\n/)[line - 1] ?? '';
    comment = /\s#\s*(.*)$/.exec(text)?.[1]?.trim() ?? '';
  }
  let why: string | undefined;
  for (let depth = path.length; depth > 0 && why === undefined; depth--) {
    let v: unknown = run.loaded.scenario;
    for (const k of path.slice(0, depth)) v = (v as Record<string, unknown> | undefined)?.[k];
    const w = (v as { why?: unknown } | undefined)?.why;
    if (typeof w === 'string') why = w;
  }
  const where = `${shown(owner.file)}${line !== undefined ? `:${line}` : ''}`;
  return [where, comment, why].filter(Boolean).join(' — ');
}

function serve(html: string, port: number): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError(`--port must be a whole number from 1 to 65535, not '${port}'`);
  return new Promise((_resolve, reject) => {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' || (path !== '/' && path !== '/explorer.html')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
    server.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} on 127.0.0.1 is in use: choose another with --port N`)
          : e,
      ),
    );
    // the loopback interface only: the page is the organization's data
    server.listen(port, '127.0.0.1', () => {
      print(`serving on http://127.0.0.1:${port}/ (Ctrl-C to stop)\n`);
    });
  });
}

function openInBrowser(url: string): void {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => print(`no browser opener found: open ${url}\n`));
  child.unref();
}
