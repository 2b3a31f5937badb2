// CLI start-up, as ratios to `node -e 0` measured in the same run (issue #15, item 9: goals
// `--version` ≤ 100 ms and `run` of every bundled scenario ≤ 400 ms on the reference machine).
// The bin is run directly: npx adds npm's own start-up. The commands alternate round by round
// (node, --version, run, node, …) so that all see the same machine; each ratio is the median of
// the per-round ratios, after one warm-up round. The load average is printed: on a shared
// machine the absolute times move with it, the ratios much less.
// STARTUP_RUNS=N rounds (default 9); STARTUP_BINS=a.js,b.js compares bins (e.g. before/after).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BINS = (process.env.STARTUP_BINS ?? join(ROOT, 'dist', 'cli', 'bin.js')).split(',');
const N = Number(process.env.STARTUP_RUNS ?? 9);
const out = mkdtempSync(join(tmpdir(), 'carbonpath-startup-'));

function time(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore', cwd: ROOT });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return ms;
}

const cases = [{ what: 'node -e 0', args: ['-e', '0'] }];
for (const bin of BINS) {
  const name = BINS.length > 1 ? `${bin} ` : 'carbonpath ';
  cases.push(
    { what: `${name}--version`, args: [bin, '--version'], goal: 100 },
    { what: `${name}run (all bundled) -q`, args: [bin, 'run', '--out', out, '-q'], goal: 400 },
  );
}
const times = cases.map(() => []);
const load = [loadavg()[0]];
for (let round = 0; round <= N; round++) {
  const t = cases.map((c) => time(c.args));
  if (round > 0) t.forEach((ms, i) => times[i].push(ms)); // round 0 warms the disk cache
}
load.push(loadavg()[0]);
rmSync(out, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `\nCLI start-up, node ${process.version}: medians of ${N} interleaved rounds ` +
    `(1-minute load average ${load.map((l) => l.toFixed(1)).join(' → ')} on ` +
    `${cpus().length} cores)`,
);
for (const [i, c] of cases.entries()) {
  const ratio = median(times[i].map((ms, r) => ms / times[0][r]));
  console.log(
    `${c.what.padEnd(40)} ${median(times[i]).toFixed(0).padStart(6)} ms  ` +
      `${ratio.toFixed(1).padStart(5)}× node${c.goal ? `  (goal ≤ ${c.goal} ms)` : ''}`,
  );
}
