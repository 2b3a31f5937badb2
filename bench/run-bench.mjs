#!/usr/bin/env node
// carbonpath benchmarks (npm run bench). Warm-ups, fixed iteration counts, medians; ratios are
// measured in this one process so they compare across machines, absolute times are this machine's.
//  (a) one deterministic run to 2050 after compile
//  (b) Monte Carlo paths per second at 1e4 and 1e5 paths to 2050
//  (c) the same model hand-written as a plain Float64Array loop, and the ratio
//      engine / hand-written
//  (d) peak memory, and the whole `carbonpath simulate` command for 100,000 paths
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';
import {
  allocateOutputs,
  compileKernel,
  loadOrganization,
  loadParser,
  loadScenario,
  compileScenario,
  resolveInputs,
  runModel as simulate,
  trajectoryRows,
} from '../dist/index.js';
import { runLoaded } from '../dist/app/project.js';
import { buildPlan } from '../dist/app/simulate.js';
import {
  accumulateBatch,
  BATCH,
  emptyPartial,
  makeBuffers,
  runChunks,
  runPath,
  runPilot,
  chunkAssignment,
} from '../dist/app/montecarlo.js';
import { loadTargets } from '../dist/io/load-targets.js';
import { makeHandwritten } from './handwritten.mjs';

const END = 2050;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function perCall(fn, batches = 15, per = 400) {
  for (let i = 0; i < per; i++) fn();
  const t = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < per; i++) fn();
    t.push(((performance.now() - t0) / per) * 1000);
  }
  return median(t);
}
const fmt = (x, d = 1) =>
  x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

console.log(
  `carbonpath bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
);

// (a) deterministic run
const t0 = performance.now();
const parse = await loadParser();
const tParser = performance.now() - t0;
const org = loadOrganization(undefined);
const loaded = loadScenario('baseline');
const t2 = performance.now();
const compiled = compileScenario(
  loaded.name,
  loaded.scenario,
  org.organization,
  org.inventory,
  END,
  parse,
);
const tCompile = performance.now() - t2;
// the same compile again, warm (a long-lived process, e.g. a library user or the explorer)
const compileWarmMs =
  perCall(
    () =>
      compileScenario(loaded.name, loaded.scenario, org.organization, org.inventory, END, parse),
    7,
    10,
  ) / 1000;
// compiling the structure into its kernel (done once per calibrated structure, on first use)
const kernelMs = perCall(() => compileKernel(compiled.base), 15, 20) / 1000;
const n = END - compiled.base.baseYear + 1;
const inputs = resolveInputs(compiled);
const out = allocateOutputs(compiled.base, n);
const simOnly = perCall(() => simulate(compiled.base, inputs, out));
const resolveSim = perCall(() =>
  simulate(compiled.base, resolveInputs(compiled, compiled.central, inputs), out),
);
const withRows = perCall(
  () => {
    const i = resolveInputs(compiled);
    trajectoryRows(
      'b',
      compiled.base,
      org.inventory,
      i,
      simulate(compiled.base, i, allocateOutputs(compiled.base, n)),
    );
  },
  15,
  100,
);
console.log(
  `\n(a) one deterministic run of baseline, FY${compiled.base.baseYear}–FY${END} ` +
    `(${n} years), after compile`,
);
console.log(
  `    one-off: mathjs import ${fmt(tParser, 0)} ms, organization + scenario compiled ` +
    `${fmt(tCompile, 2)} ms (first call), ${fmt(compileWarmMs, 2)} ms (median, warm), ` +
    `kernel generated ${fmt(kernelMs, 3)} ms (median)`,
);
console.log(
  `    simulate ${fmt(simOnly)} µs · resolve + simulate ${fmt(resolveSim)} µs · ` +
    `+ CSV rows ${fmt(withRows)} µs`,
);

// (b, c) Monte Carlo: engine vs hand-written, same draws, same aggregation
const run = await runLoaded(loaded, org, END);
const plan = buildPlan(run, org, loadTargets(org.folder));
const hand = makeHandwritten(plan);
{
  // same numbers first
  const buf = makeBuffers(plan);
  const met = new Uint8Array(plan.checkers.length),
    mg = new Uint8Array(plan.checkers.length),
    hmet = new Uint8Array(plan.checkers.length);
  let worst = 0;
  for (let p = 0; p < 300; p++) {
    runPath(plan, buf, 7, p, met, mg, new Map());
    const hv = hand(7, p, hmet);
    for (let k = 0; k < hv.length; k++)
      worst = Math.max(
        worst,
        Math.abs(hv[k] - buf.values[k]) / Math.max(1e-9, Math.abs(buf.values[k])),
      );
    for (let k = 0; k < met.length; k++)
      if (met[k] !== hmet[k]) throw new Error(`target ${k} differs on path ${p}`);
  }
  if (worst > 1e-9) throw new Error(`hand-written and engine differ by ${worst}`);
  console.log(
    `\n(b, c) Monte Carlo of baseline to ${END}: ${plan.series.length} fan series, ` +
      `${plan.checkers.length} targets, ${plan.compiled.uncertain.length} uncertain numbers`,
  );
  console.log(
    `    check: hand-written loop = engine on 300 paths (max relative difference ` +
      `${worst.toExponential(1)}, target flags equal)`,
  );
}
function engineMc(N) {
  const pilot = runPilot(plan, 11, N);
  runChunks(plan, pilot.ranges, 11, N, chunkAssignment(N, 1).flat());
}
function handMc(N) {
  const pilot = runPilot(plan, 11, Math.min(N, 1000)); // same histogram ranges
  // the same batched accumulation as the engine, so only the path computation differs
  const S = plan.series.length;
  const part = emptyPartial(plan);
  const sums = new Float64Array(S);
  const met = new Uint8Array(plan.checkers.length);
  const batch = new Float64Array(BATCH * S);
  // as the engine: straight into the batch
  const rows = Array.from({ length: BATCH }, (_, b) => batch.subarray(b * S, (b + 1) * S));
  for (let p0 = 0; p0 < N; p0 += BATCH) {
    const m = Math.min(BATCH, N - p0);
    for (let b = 0; b < m; b++) {
      hand(11, p0 + b, met, rows[b]);
      for (let t = 0; t < met.length; t++) part.met[t] += met[t];
    }
    accumulateBatch(part, pilot.ranges, batch, m, sums);
  }
}
// Engine and hand-written runs alternate, so both see the same machine (load from other work
// shifts both alike); the ratio is the median of the per-round ratios.
const timeBoth = (N, reps) => {
  engineMc(Math.min(N, 5000));
  handMc(Math.min(N, 5000));
  const e = [];
  const h = [];
  const r = [];
  // CPU time of this process (user + system), not wall time: a machine shared with other work
  // deschedules the bench, which wall time counts and CPU time does not
  const time = (f) => {
    const t0 = process.cpuUsage();
    f(N);
    const t = process.cpuUsage(t0);
    return (t.user + t.system) / 1000;
  };
  for (let k = 0; k < reps; k++) {
    e.push(time(engineMc));
    h.push(time(handMc));
    r.push(e[k] / h[k]);
  }
  return { e: median(e), h: median(h), ratio: median(r) };
};
console.log(
  '    paths       engine ms   paths/s     hand-written ms   paths/s     engine / hand-written' +
    '   (CPU time)',
);
for (const N of [10_000, 100_000]) {
  const { e, h, ratio } = timeBoth(N, N === 10_000 ? 9 : 5);
  console.log(
    [
      N.toLocaleString('en-US').padEnd(10),
      fmt(e, 0).padStart(9),
      ` ${fmt((N / e) * 1000, 0).padStart(9)}`,
      ` ${fmt(h, 0).padStart(15)}`,
      ` ${fmt((N / h) * 1000, 0).padStart(9)}`,
      ` ${fmt(ratio, 2).padStart(8)}`,
    ]
      .join('  ')
      .replace(/^/, '    '),
  );
}

// (d) memory and the whole command (start-up, mathjs, load, pilot, paths, tornado, CSVs)
const rssMb = resourceUsage().maxRSS / 1024;
console.log(`\n(d) peak memory of this bench process: ${fmt(rssMb, 0)} MB`);
for (const [workers, samples] of [
  [1, 100_000],
  [2, 100_000],
  [1, 1_000_000],
]) {
  const t = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      'dist/cli/bin.js',
      'simulate',
      'baseline',
      '--samples',
      String(samples),
      '--seed',
      '1',
      '--workers',
      String(workers),
      '--to',
      '2050',
      '--out',
      `bench/results/w${workers}-${samples}`,
    ],
    { encoding: 'utf8' },
  );
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(r.stderr);
  const kb = Number(r.stderr.trim().split('\n').pop());
  console.log(
    `    carbonpath simulate baseline --samples ${samples} --to 2050 --workers ${workers}: ` +
      `${fmt(ms / 1000, 2)} s wall, peak RSS ${fmt(kb / 1024, 0)} MB`,
  );
}
