// Where does a Monte Carlo run spend its time? node bench/profile-mc.mjs [scenario] [samples]
import { performance } from 'node:perf_hooks';
const t0 = performance.now();
const { loadOrganization, loadScenario } = await import('../dist/index.js');
const { runLoaded } = await import('../dist/app/project.js');
const { buildPlan } = await import('../dist/app/simulate.js');
const { runPilot, runChunks, chunkAssignment, makeBuffers, runPath } =
  await import('../dist/app/montecarlo.js');
const { loadTargets } = await import('../dist/io/load-targets.js');
const t1 = performance.now();
const org = loadOrganization(undefined);
const run = await runLoaded(loadScenario(process.argv[2] ?? 'baseline'), org, 2050);
const plan = buildPlan(run, org, loadTargets(org.folder));
const t2 = performance.now();
const N = Number(process.argv[3] ?? 100000);
const pilot = runPilot(plan, 1, N);
const t3 = performance.now();
runChunks(plan, pilot.ranges, 1, N, chunkAssignment(N, 1).flat());
const t4 = performance.now();
// path pieces
const buf = makeBuffers(plan);
const met = new Uint8Array(plan.checkers.length),
  mg = new Uint8Array(plan.checkers.length),
  cl = new Map();
const t5 = performance.now();
for (let p = 0; p < 20000; p++) runPath(plan, buf, 1, p, met, mg, cl);
const t6 = performance.now();
console.log(
  `imports ${(t1 - t0).toFixed(0)} ms, load+compile ${(t2 - t1).toFixed(0)} ms, ` +
    `pilot ${(t3 - t2).toFixed(0)} ms, chunks ${(t4 - t3).toFixed(0)} ms for ${N} paths ` +
    `(${plan.series.length} series, ${plan.compiled.uncertain.length} uncertain numbers)`,
);
console.log(`runPath alone: ${(((t6 - t5) / 20000) * 1000).toFixed(2)} µs/path`);
