/**
 * carbonpath explore without a browser: bad input refused as by run, untrusted text inert in
 * the page, levers found and saved as a scenario that merges back to the page's scenario, and
 * --serve on the loopback interface only.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyLevers, findLevers, scenarioDelta, unsetLevers } from '../src/explore/levers.js';
import { projectScenarios } from '../src/app/project.js';
import { loadScenario } from '../src/io/load-scenario.js';
import { jsonForScript } from '../src/report/escape.js';
import { BIN, cli, ROOT, tempDir, writeFile } from './helpers.js';

describe('jsonForScript', () => {
  it('gives JSON that cannot end a script element and parses back to the same value', () => {
    const value = {
      name: '</script><script>alert(1)</script>',
      comment: '<!-- x --> ]]> & \u2028\u2029 </SCRIPT',
      n: [1.5, 0.1 + 0.2, 1e-300],
    };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<\/script|<!--|[<>&\u2028\u2029]/i);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('explore refuses bad input exactly like run', () => {
  it('an invalid scenario: exit 2, the same message (file, line, fix), nothing written', () => {
    const dir = tempDir('explore-bad-');
    const bad = writeFile(
      dir,
      'bad.yaml',
      'extends: baseline\nparameters:\n  selfBuiltPue: { value: 0.5 }\n',
    );
    const run = cli(['run', bad, '--out', join(dir, 'run')]);
    const explore = cli(['explore', bad, '--out', join(dir, 'explore')]);
    expect(run.code).toBe(2);
    expect(explore.code).toBe(2);
    expect(explore.stderr).toBe(run.stderr);
    expect(explore.stderr).toContain('bad.yaml');
    expect(explore.stderr).toMatch(/:3\b/);
    expect(existsSync(join(dir, 'explore', 'explorer.html'))).toBe(false);
  });

  it('an unknown scenario name and a missing organization folder: exit 2 as run', () => {
    for (const args of [['no-such-scenario'], ['--data', join(tempDir(), 'missing')]]) {
      const run = cli(['run', ...args, '--out', tempDir()]);
      const explore = cli(['explore', ...args, '--out', tempDir()]);
      expect(explore.code, args.join(' ')).toBe(2);
      expect(explore.stderr).toBe(run.stderr);
    }
  });
});

describe('explorer.html', () => {
  it('keeps organization and scenario text inert: only its own two script elements end', () => {
    const org = join(tempDir('explore-org-'), 'evil');
    cpSync(join(ROOT, 'data', 'alibaba-health'), org, { recursive: true });
    const file = join(org, 'organization.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /^name: .*$/m,
        'name: "Evil</script><script>alert(1)</script><!-- \u2028"',
      ),
    );
    const out = tempDir();
    const r = cli(['explore', '--data', org, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, 'explorer.html'), 'utf8');
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html.match(/<!--/g)).toBeNull();
    const data = /<script type="application\/json" id="cp-data">([^<]*)<\/script>/.exec(html)![1]!;
    expect(data).not.toMatch(/[\u2028\u2029]/);
    expect((JSON.parse(data) as { organization: { name: string } }).organization.name).toBe(
      'Evil</script><script>alert(1)</script><!-- \u2028',
    );
    expect(html).toContain('<title>Evil&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // the page asks for nothing from any host
    expect(html).toContain("connect-src 'none'");
    expect(html).not.toMatch(/<(link|img|iframe)\b|src="http/);
  });
});

describe('levers', () => {
  const baseline = loadScenario('baseline');
  const levers = findLevers(baseline.scenario);
  const byId = new Map(levers.map((l) => [l.id, l]));

  it('finds each number once, a distribution reused under one id as one lever', () => {
    const avoided = levers.filter((l) => l.paths.some((p) => p[1] === 'avoided'));
    expect(avoided).toHaveLength(1);
    // the 11 programmes of baseline.yaml share one growth distribution (id avoidedGrowth)
    expect(avoided[0]!.paths).toHaveLength(11);
    expect(avoided[0]!.value).toBe(0.0754);
    expect([avoided[0]!.min, avoided[0]!.max]).toEqual([0, 0.232]);
    const dc = byId.get('constants.dcCleanTrendPp')!;
    expect([dc.min, dc.value, dc.max, dc.field]).toEqual([2.1, 6.57, 9.6, 'mode']);
    expect(byId.get('constants.pueFloor')!.min).toBe(1);
    expect(byId.get('offsets.discountRate')!.group).toBe('Credits and prices');
    for (const l of levers) {
      expect(l.min, l.id).toBeLessThanOrEqual(l.value);
      expect(l.max, l.id).toBeGreaterThanOrEqual(l.value);
      expect(l.step, l.id).toBeGreaterThan(0);
    }
  });

  it('saves moved levers as a scenario that extends baseline and merges back to the same', () => {
    const values = new Map([
      ['constants.dcCleanTrendPp', 8],
      ['parameters.avoided.alibabaCloud.growth', 0.1],
      ['parameters.fuels.diesel.growth', -0.3],
      ['offsets.removalShare.points.2040', 0.7],
      ['parameters.selfBuiltItLoad.growth.points.2035', 0.12],
    ]);
    for (const k of values.keys()) expect(byId.has(k), k).toBe(true);
    const changed = applyLevers(baseline.scenario, levers, values);
    const delta = scenarioDelta(baseline.scenario, changed, (p) => p.join('.'));
    expect(Object.keys(delta.parameters as object).sort()).toEqual([
      'avoided',
      'fuels',
      'selfBuiltItLoad',
    ]);
    expect(Object.keys((delta.parameters as { fuels: object }).fuels)).toEqual(['diesel']);
    const dir = tempDir('explore-save-');
    const file = writeFile(
      dir,
      'moved.yaml',
      stringify({ name: 'moved', extends: 'baseline', ...delta }),
    );
    const merged = loadScenario(file).scenario;
    const strip = (s: object) => {
      const {
        name: _n,
        extends: _e,
        sources: _s,
        assumptions,
        ...rest
      } = s as Record<string, unknown>;
      if (assumptions && Object.keys(assumptions).length) rest.assumptions = assumptions;
      return JSON.parse(JSON.stringify(rest, (k, v) => (k === 'why' ? undefined : v))) as object;
    };
    expect(strip(merged)).toEqual(strip(changed));
  });
});

describe('levers for quantities the scenario leaves unset', () => {
  it('one per held quantity of the declared organization, written only when moved', async () => {
    const data = join(ROOT, 'test', 'fixtures', 'two-grids');
    const { runs } = await projectScenarios(['baseline'], { data });
    const run = runs[0]!;
    const base = run.compiled.base;
    const levers = unsetLevers(run.loaded.scenario, base.inputs, {
      baseYear: base.baseYear,
      endYear: 2035,
      scenarioFile: 'baseline.yaml',
      baseFrom: 'inventory.csv',
    });
    // baseline.yaml sets revenue, IT loads, offices' electricity, owned DC's clean share, grid
    // factors and scope 3; purchased heat is zero (nothing to grow); credits default to zero
    expect(levers.map((l) => l.id)).toEqual([
      'parameters.segments.ownedDc.pue.points.2035',
      'parameters.segments.offices.cleanShare.points.2035',
      'parameters.segments.colo.pue.points.2035',
      'parameters.segments.colo.cleanShare.points.2035',
      'parameters.grids.us.residualMixRatio.points.2035',
      'parameters.grids.eu.residualMixRatio.points.2035',
      'parameters.scope1Remainder.growth',
    ]);
    const byId = new Map(levers.map((l) => [l.id, l]));
    // defaults: the calibrated base-year values of the fixture's closed form (organization.yaml)
    const pue = byId.get('parameters.segments.ownedDc.pue.points.2035')!;
    expect([pue.value, pue.min, pue.max]).toEqual([1.25, 1, 2.5]);
    expect(byId.get('parameters.segments.offices.cleanShare.points.2035')!.value).toBe(30);
    expect(byId.get('parameters.grids.eu.residualMixRatio.points.2035')!.value).toBe(1.1);
    expect(byId.get('parameters.scope1Remainder.growth')!.value).toBe(0);
    expect(pue.source).toMatch(/^not set by baseline\.yaml: held at its FY2025 value 1\.25/);
    // at their defaults nothing changes; moved, only the moved quantity gets a path
    expect(applyLevers(run.loaded.scenario, levers, new Map())).toEqual(run.loaded.scenario);
    const moved = applyLevers(run.loaded.scenario, levers, new Map([[pue.id, 1.2]]));
    const delta = scenarioDelta(run.loaded.scenario, moved, (p) => p.join('.')) as {
      parameters: { segments: Record<string, Record<string, unknown>> };
    };
    expect(Object.keys(delta)).toEqual(['parameters']);
    expect(delta.parameters.segments.ownedDc!.pue).toEqual({
      points: { 2035: 1.2 },
      why: 'TODO: say why — parameters.segments.ownedDc.pue',
    });
    expect(delta.parameters.segments.colo!.pue).toBeUndefined();
  });
});

describe('explore --serve', () => {
  it('serves the page on 127.0.0.1 only', async () => {
    const out = tempDir();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(
      process.execPath,
      [BIN, 'explore', 'baseline', '--out', out, '--serve', '--port', String(port)],
      {
        cwd: ROOT,
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('serving on')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
      });
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(readFileSync(join(out, 'explorer.html'), 'utf8'));
      expect((await fetch(`http://127.0.0.1:${port}/../etc/passwd`)).status).toBe(404);
      const external = Object.values(networkInterfaces())
        .flat()
        .find((a) => a && a.family === 'IPv4' && !a.internal);
      if (external) await expect(fetch(`http://${external.address}:${port}/`)).rejects.toThrow();
    } finally {
      child.kill();
    }
  });
});
