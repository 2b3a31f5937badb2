/**
 * `--version` (and `-V`) alone is answered by bin.ts without loading the command line (start-up,
 * issue #15 item 9): the same bytes commander prints for it, and the package's version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { cli, ROOT } from './helpers.js';

describe('carbonpath --version', () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  /** What commander itself prints for --version (exitOverride: it throws after printing). */
  const commander = (): string => {
    let out = '';
    const program = buildProgram().configureOutput({ writeOut: (s) => (out += s) });
    expect(() => program.parse(['node', 'carbonpath', '--version'])).toThrow(version);
    return out;
  };

  it.each([['--version'], ['-V']])('%s prints what commander prints: the version', (flag) => {
    const r = cli([flag]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${version}\n`);
    expect(r.stdout).toBe(commander());
  });
  it('with other arguments, commander answers (the same text)', () => {
    const r = cli(['-V', '--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(commander());
  });
});
