// CLI start-up, as ratios to `node -e 0` measured in the same run (issue #15, item 9: goals
// `--version` ≤ 100 ms and `run` of every bundled scenario ≤ 400 ms on the reference machine).
// The bin is run directly: npx adds npm's own start-up. Median of N runs after one warm-up.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'bin.js');
const N = Number(process.env.STARTUP_RUNS ?? 7);
const out = mkdtempSync(join(tmpdir(), 'carbonpath-startup-'));

function median(args) {
  const times = [];
  for (let i = 0; i <= N; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    if (i > 0) times.push(ms); // the first run warms the disk cache
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const node = median(['-e', '0']);
const rows = [
  ['node -e 0', node, 1],
  ['carbonpath --version', median([BIN, '--version']), 100],
  ['carbonpath run (all bundled) -q', median([BIN, 'run', '--out', out, '-q']), 400],
];
rmSync(out, { recursive: true, force: true });
console.log(`\nCLI start-up (median of ${N} runs; goal as on the reference machine)`);
for (const [what, ms, goal] of rows)
  console.log(
    `${what.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / node).toFixed(1).padStart(5)}× ` +
      `node${goal > 1 ? `  (goal ≤ ${goal} ms)` : ''}`,
  );
