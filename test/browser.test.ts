import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './chromium.js';
import { CHARTS, cli, ROOT, tempDir } from './helpers.js';

describe.skipIf(!chromiumAvailable)('report.html in a real browser', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    dir = join(tempDir('report-browser-'), 'latest');
    expect(cli(['report', '--out', dir, '--samples', '300']).code).toBe(0);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart, logs no errors, and is saved as a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
    const charts = await page.$$eval('svg[data-chart]', (svgs) =>
      svgs.map((s) => {
        const box = s.getBoundingClientRect();
        return {
          id: s.getAttribute('data-chart'),
          width: box.width,
          height: box.height,
          marks: s.querySelectorAll('path, rect, line').length,
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(CHARTS);
    for (const c of charts) {
      expect(c.width, c.id!).toBeGreaterThan(300);
      expect(c.height, c.id!).toBeGreaterThan(150);
      expect(c.marks, c.id!).toBeGreaterThan(10);
    }
    expect(await page.$$eval('table', (t) => t.length)).toBeGreaterThan(6);
    expect(problems).toEqual([]);
    const shots = resolve(ROOT, 'test-results');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
    expect(existsSync(join(shots, 'report.png'))).toBe(true);
  });
});
