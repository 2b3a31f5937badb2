// Rewrites the backtest table of docs/methodology.md ("How well it predicts") from
// `carbonpath backtest --as-of 2024` (1,000 paths, seed 1) — npm run docs:backtest, after npm run
// build; test/backtest.test.ts checks the document against the same computation.
import { readFileSync, writeFileSync } from 'node:fs';
import { runBacktest } from '../dist/app/backtest.js';
import { backtestMarkdown } from '../dist/cli/commands/backtest.js';

const file = 'docs/methodology.md';
const open = '<!-- backtest:as-of 2024, 1000 paths, seed 1 (npm run docs:backtest) -->';
const close = '<!-- /backtest -->';
const doc = readFileSync(file, 'utf8');
const [before, rest] = doc.split(open);
if (rest === undefined || !rest.includes(close)) throw new Error(`${file} has no ${open} block`);
const after = rest.slice(rest.indexOf(close));
const r = await runBacktest({ asOf: 2024, samples: 1000, seed: 1, refit: true });
writeFileSync(file, `${before}${open}\n${backtestMarkdown(r)}\n${after}`);
