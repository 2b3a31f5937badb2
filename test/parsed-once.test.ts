/**
 * Each input file is parsed at most once per process (src/io/parsed-once.ts, start-up): a `run`
 * of every bundled scenario used to parse baseline.yaml and targets.yaml five times each. What
 * the loaders keep is shared, so it is frozen; a file edited between two readings is parsed anew.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { loadScenario } from '../src/io/load-scenario.js';
import { loadTargets } from '../src/io/load-targets.js';
import { keptReadings, parseCounts } from '../src/io/parsed-once.js';
import { tempDir, writeFile } from './helpers.js';

const counted = () => new Map(parseCounts());

describe('every input file is parsed once per process', () => {
  it('run, targets and simulate on every bundled scenario: each file once', async () => {
    const out = tempDir();
    for (const command of ['run', 'targets', 'simulate']) {
      const extra = command === 'simulate' ? ['--samples', '200', '--seed', '1'] : [];
      const argv = ['node', 'carbonpath', command, ...extra, '-q', '--out', join(out, command)];
      expect(await main(argv)).toBe(0);
    }
    const counts = counted();
    const files = (kind: string) =>
      [...counts.keys()].filter((k) => k.startsWith(`${kind} `)).map((k) => k.split('/').at(-1));
    expect(files('yaml').sort()).toEqual([
      'ai-surge.yaml',
      'announced.yaml',
      'baseline.yaml',
      'carbon-credits.yaml',
      'grid-decarbonization.yaml',
      'organization.yaml',
      'stalled-procurement.yaml',
      'targets.yaml',
    ]);
    expect(files('inventory')).toEqual(['inventory.csv']);
    expect(files('scenario')).toHaveLength(5);
    expect(files('targets')).toEqual(['targets.yaml']);
    expect(files('prices')).toEqual(['carbon-credits.yaml']);
    for (const [what, n] of counts) expect(n, what).toBe(1);
  });

  it('what is kept is frozen: a caller cannot change it for the next', () => {
    const loaded = loadScenario('announced');
    const baseline = loadScenario('baseline').chain[0]!;
    expect(loaded.chain[1]!.source).toBe(baseline.source); // the same parse, shared
    expect(Object.isFrozen(baseline.source.value)).toBe(true);
    const targets = loadTargets(join('data', 'alibaba-group'));
    expect(() => {
      (targets.targets.targets as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      (targets.targets.targets[0] as { id: string }).id = 'changed';
    }).toThrow(TypeError);
  });

  it('a file edited between two readings is parsed again', () => {
    const dir = tempDir();
    const yaml = (floor: number) =>
      `name: edited\nextends: baseline\nconstants:\n  pueFloor: ${floor}\n`;
    const file = writeFile(dir, 'edited.yaml', yaml(1.2));
    const first = loadScenario(file).scenario;
    expect(loadScenario(file).scenario).toEqual(first);
    writeFile(dir, 'edited.yaml', yaml(1.15));
    const second = loadScenario(file).scenario;
    expect(second).not.toEqual(first);
    expect(second.constants?.pueFloor).toBe(1.15);
    expect(parseCounts().get(`scenario ${file}`)).toBe(2);
  });

  it('a file edited again and again keeps one reading, the latest (a long-lived library)', () => {
    const dir = tempDir();
    const yaml = (floor: number) =>
      `name: edits\nextends: baseline\nconstants:\n  pueFloor: ${floor}\n`;
    const file = writeFile(dir, 'edits.yaml', yaml(1.1));
    loadScenario(file);
    const kept = keptReadings();
    for (const floor of [1.11, 1.12, 1.13, 1.14, 1.15]) {
      writeFile(dir, 'edits.yaml', yaml(floor));
      expect(loadScenario(file).scenario.constants?.pueFloor).toBe(floor);
    }
    expect(keptReadings()).toBe(kept);
    expect(parseCounts().get(`scenario ${file}`)).toBe(6);
    // back to a text read before: parsed again (only the latest is kept), same value
    writeFile(dir, 'edits.yaml', yaml(1.1));
    expect(loadScenario(file).scenario.constants?.pueFloor).toBe(1.1);
    expect(parseCounts().get(`scenario ${file}`)).toBe(7);
  });
});
