/**
 * What a solve lever names, checked against the scenario and the organization before any search:
 * a misspelt lever would otherwise set a number nothing reads, and every tried value would fail.
 */
import type { BaseState } from '../core/calibrate.js';
import { PARAMETERS } from '../core/parameters.js';
import { v1NameOf } from '../core/structure.js';
import { InputError } from '../errors.js';
import { nearest } from '../io/nearest.js';
import type { ScenarioFile } from '../schema/scenario.js';

/** `.growth`, `.value` or `.points.YEAR`: which part of a quantity's spec the lever sets. */
const SUFFIX = /\.(?:growth|value|points\.\d{4})$/;

/** A lever as the quantity it names (`parameters.selfBuiltPue`) and the part it sets. */
export function splitLever(lever: string): { head: string; suffix: string } {
  const suffix = lever.startsWith('parameters.') ? (SUFFIX.exec(lever)?.[0] ?? '') : '';
  return { head: lever.slice(0, lever.length - suffix.length), suffix };
}

/**
 * Every quantity a lever can name: the scenario's constants, the parameter names of the
 * scenario schema, the organization's fuels and programmes, and its declared quantities
 * (base.inputs keys, e.g. `parameters.segments.selfBuiltDc.pue`).
 */
export function knownLevers(scenario: ScenarioFile, base: BaseState): string[] {
  const parameters = new Set([
    ...Object.keys(PARAMETERS),
    ...base.fuels.map((f) => `fuels.${f.id}`),
    ...base.programmes.map((p) => `avoided.${p.id}`),
    ...base.inputs.map((d) => d.key),
  ]);
  return [
    ...Object.keys(scenario.constants ?? {}).map((c) => `constants.${c}`),
    ...[...parameters].map((p) => `parameters.${p}`),
  ];
}

/** Refuses a lever that names no quantity of the scenario or organization, with the nearest. */
export function checkLeverKnown(
  lever: string,
  scenario: ScenarioFile,
  scenarioName: string,
  base: BaseState,
): void {
  const { head, suffix } = splitLever(lever);
  const known = knownLevers(scenario, base);
  if (known.includes(head)) return;
  const isConstant = head.startsWith('constants.');
  const pool = known.filter((k) => k.startsWith(isConstant ? 'constants.' : 'parameters.'));
  const guess = nearest(head, pool);
  const what = isConstant
    ? `no constant of scenario ${scenarioName}`
    : `no parameter or declared quantity of ${base.organization}`;
  const list = isConstant
    ? `its constants: ${pool.map((k) => k.slice('constants.'.length)).join(', ') || '(none)'}`
    : '`npx carbonpath explain` lists every quantity a scenario can set';
  const instead = isConstant ? `use one of ${list}` : `name a quantity it sets: ${list}`;
  throw new InputError({
    path: '--lever',
    message: `${head} names ${what}, so setting it would change nothing`,
    fix: guess ? `did you mean ${guess}${suffix}? (${list})` : instead,
  });
}

const lookup = (x: unknown, parts: readonly string[]): unknown =>
  parts.reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], x);

/**
 * Where the scenario sets the lever's quantity: a declared key the scenario sets under its
 * version 1 name (`segments.selfBuiltDc.cleanShare` as `selfBuiltCleanShare`), or the
 * reverse, is set there, so that the solved scenario never sets one quantity twice.
 */
export function leverInScenario(lever: string, scenario: ScenarioFile, base: BaseState): string {
  const { head, suffix } = splitLever(lever);
  if (!head.startsWith('parameters.')) return lever;
  const name = head.slice('parameters.'.length);
  const ps = (scenario.parameters ?? {}) as Record<string, unknown>;
  if (base.inputs.some((d) => d.key === name)) {
    const alias = v1NameOf(name);
    if (alias && alias !== name && ps[alias] !== undefined) return `parameters.${alias}${suffix}`;
  }
  if (name in PARAMETERS && ps[name] === undefined) {
    const own = base.inputs.find(
      (d) =>
        d.key !== name && v1NameOf(d.key) === name && lookup(ps, d.key.split('.')) !== undefined,
    );
    if (own) return `parameters.${own.key}${suffix}`;
  }
  return lever;
}

/** Field paths of every distribution in the scenario's constants and parameters. */
export function distributionPaths(x: unknown, path: string[] = []): string[] {
  if (!x || typeof x !== 'object') return [];
  if ('dist' in x) return [path.join('.')];
  return Object.entries(x).flatMap(([k, v]) => distributionPaths(v, [...path, k]));
}
