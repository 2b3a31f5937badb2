import { join } from 'node:path';
import { stringify } from 'yaml';
import { projectionEnd } from '../../app/evaluate.js';
import { roundTo, solve, type SolveResult } from '../../app/solve.js';
import { FailOnError, UsageError } from '../../errors.js';
import { loadOrganization } from '../../io/load-organization.js';
import { loadScenario, scenarioNamesFor } from '../../io/load-scenario.js';
import { BUNDLED_SCENARIOS } from '../../io/package-root.js';
import { loadTargets } from '../../io/load-targets.js';
import { print, result, warn, writeOutputs } from '../output.js';

export interface SolveCliOptions {
  target: string;
  lever: string;
  min?: string;
  max?: string;
  probability?: string;
  withoutCredits?: boolean;
  samples?: number;
  seed?: number;
  out: string;
  data?: string;
  to?: number;
  basis?: string;
}

const num = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new UsageError(`${flag} must be a number, not '${v}'`);
  return x;
};

export async function solveCommand(
  scenario: string | undefined,
  opts: SolveCliOptions,
): Promise<void> {
  const probability = num(opts.probability, '--probability');
  if (probability !== undefined && !(probability > 0 && probability < 1))
    throw new UsageError('--probability must be between 0 and 1, e.g. 0.9');
  const org = loadOrganization(opts.data, opts.basis);
  const targets = loadTargets(org.folder);
  const endYear = projectionEnd(opts.to, targets);
  const own = scenarioNamesFor(org.folder);
  const loaded = loadScenario(scenario ?? own.names[0] ?? 'baseline', [
    own.folder,
    BUNDLED_SCENARIOS,
  ]);
  const r = await solve(loaded, org, targets, {
    target: opts.target,
    lever: opts.lever,
    min: num(opts.min, '--min'),
    max: num(opts.max, '--max'),
    probability,
    withoutCredits: opts.withoutCredits,
    samples: opts.samples ?? 2000,
    seed: opts.seed ?? 1,
    endYear,
    warn: (message) => warn(message),
  });
  const goal =
    `${opts.target}${opts.withoutCredits ? ' without credits' : ''}` +
    `${probability !== undefined ? ` with probability ≥ ${probability}` : ''}`;
  const { scenario: _solved, ...found } = r;
  const answer = {
    scenario: loaded.name,
    target: opts.target,
    lever: opts.lever,
    withoutCredits: !!opts.withoutCredits,
    probability: probability ?? null,
    ...found,
  };
  const json = JSON.stringify(answer, null, 2) + '\n';
  if (r.status === 'solved') {
    const solved = {
      ...r.scenario!,
      name: `${loaded.name}-solved`,
      extends: undefined,
      title: `${loaded.scenario.title ?? loaded.name}, solved for ${goal}`,
      description: (
        `${loaded.scenario.description ?? ''}\nSolved by ` +
        `carbonpath solve: ${opts.lever} = ${r.value} meets ${goal}.`
      ).trim(),
    };
    delete (solved as Record<string, unknown>).extends;
    const written = writeOutputs([
      {
        path: join(opts.out, 'solved-scenario.yaml'),
        content:
          `# Written by carbonpath solve (${opts.lever} = ${r.value}); the whole ` +
          `merged scenario, no extends.\n${stringify(solved, { lineWidth: 0 })}`,
      },
      { path: join(opts.out, 'solve.json'), content: json },
    ]);
    result(answer, written);
    const setAt =
      r.setAt === opts.lever ? '' : ` (set as ${r.setAt}, the name ${loaded.name} uses)`;
    print(
      `${opts.lever} = ${rounded(r)} meets ${goal} in ${loaded.name}${setAt} (searched ` +
        `${r.bounds[0]}–${r.bounds[1]}, ${r.evaluations.length} runs)\n` +
        (written.length > 1
          ? `wrote ${join(opts.out, 'solved-scenario.yaml')} and solve.json — run it with: ` +
            `npx carbonpath targets ${join(opts.out, 'solved-scenario.yaml')}\n`
          : 'wrote the solved scenario to stdout\n'),
    );
    return;
  }
  result(answer, writeOutputs([{ path: join(opts.out, 'solve.json'), content: json }]));
  if (r.status === 'met-across-range') {
    print(
      `${goal} is met at both ends of ${r.bounds[0]}–${r.bounds[1]}: ` +
        `any value of ${opts.lever} in that range will do\n`,
    );
    return;
  }
  throw new FailOnError(
    `no value of ${opts.lever} between ${r.bounds[0]} ` +
      `and ${r.bounds[1]} meets ${goal} in ${loaded.name}`,
  );
}

/** The answer as solved: rounded to its tolerance, with it ('6.600 (± 0.0005)'). */
export function rounded(r: SolveResult): string {
  const d = Math.max(0, r.decimals!);
  return `${roundTo(r.value!, r.decimals!).toFixed(d)} (± ${r.tolerance!.toFixed(d + 1)})`;
}
