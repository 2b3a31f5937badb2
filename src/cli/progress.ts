import { outputMode } from './output.js';

/**
 * A progress bar on stderr, only on an interactive terminal (never when piped, in CI, or with
 * --json or --quiet).
 */
export function progressBar(
  total: number,
  label: string,
): { tick(n: number): void; done(): void } | undefined {
  if (!process.stderr.isTTY || process.env.CI || outputMode() !== 'text') return undefined;
  let done = 0;
  let last = -1;
  const draw = () => {
    const pct = Math.min(100, Math.floor((done / total) * 100));
    if (pct === last) return;
    last = pct;
    const width = 30;
    const fill = Math.round((pct / 100) * width);
    process.stderr.write(
      `\r${label} [${'='.repeat(fill)}${' '.repeat(width - fill)}] ${pct}% ` +
        `${Math.min(done, total).toLocaleString('en-US')}/${total.toLocaleString('en-US')}`,
    );
  };
  return {
    tick(n) {
      done += n;
      draw();
    },
    done() {
      done = total;
      draw();
      process.stderr.write('\n');
    },
  };
}
