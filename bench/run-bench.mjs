#!/usr/bin/env node
// Benchmarks one deterministic run of a bundled scenario to 2050 after it is compiled.
// Warm-up, then fixed iteration counts; medians of the batches. Ratios are measured in this
// one process, so they are comparable across machines; absolute times are for this machine.
// Usage: npm run bench   (builds first)   or   node bench/run-bench.mjs [scenario] [endYear]
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import {
  allocateOutputs, loadOrganization, loadParser, loadScenario, compileScenario, resolveInputs, simulate,
  trajectoryRows,
} from '../dist/index.js';

const scenarioName = process.argv[2] ?? 'baseline';
const endYear = Number(process.argv[3] ?? 2050);
const BATCHES = 15;
const PER_BATCH = 400;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function timeIt(fn) {
  for (let i = 0; i < PER_BATCH; i++) fn(); // warm-up
  const batches = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    for (let i = 0; i < PER_BATCH; i++) fn();
    batches.push(((performance.now() - t0) / PER_BATCH) * 1000);
  }
  return median(batches); // µs per call
}

const t0 = performance.now();
const parse = await loadParser();
const tParser = performance.now() - t0;
const t1 = performance.now();
const org = loadOrganization(undefined);
const loaded = loadScenario(scenarioName);
const tLoad = performance.now() - t1;
const t2 = performance.now();
const compiled = compileScenario(loaded.name, loaded.scenario, org.organization, org.inventory, endYear, parse);
const tCompile = performance.now() - t2;
const n = endYear - compiled.base.baseYear + 1;

const inputs = resolveInputs(compiled);
const out = allocateOutputs(n);
const simulateOnly = timeIt(() => simulate(compiled.base, inputs, out));
const resolveAndSimulate = timeIt(() => simulate(compiled.base, resolveInputs(compiled), out));
const withRows = timeIt(() => {
  const i = resolveInputs(compiled);
  trajectoryRows(loaded.name, compiled.base, org.inventory, i, simulate(compiled.base, i, allocateOutputs(n)));
});

const fmt = (x) => x.toFixed(1).padStart(9);
console.log(`carbonpath bench — scenario ${loaded.name}, FY${compiled.base.baseYear}–FY${endYear} (${n} years)`);
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; ${BATCHES} batches × ${PER_BATCH} calls, median`);
console.log('');
console.log(`one-off costs (ms): mathjs import ${tParser.toFixed(0)}, load files ${tLoad.toFixed(1)}, compile ${tCompile.toFixed(2)}`);
console.log('');
console.log('per deterministic run after compile         µs   ratio to simulate');
console.log(`  simulate (equations only)         ${fmt(simulateOnly)}   1.0`);
console.log(`  resolve paths + simulate          ${fmt(resolveAndSimulate)}   ${(resolveAndSimulate / simulateOnly).toFixed(1)}`);
console.log(`  resolve + simulate + CSV rows     ${fmt(withRows)}   ${(withRows / simulateOnly).toFixed(1)}`);
