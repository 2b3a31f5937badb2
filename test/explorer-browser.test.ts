/**
 * The explorer page in Debian's Chromium, offline from file://: three levers moved by keyboard,
 * the cards read, the scenario saved and run by the CLI, the numbers compared. Timings are
 * printed, not asserted (bench/ holds speed claims).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './chromium.js';
import { projectScenarios } from '../src/app/project.js';
import { evaluateRuns } from '../src/app/evaluate.js';
import { formatNumber } from '../src/io/csv-output.js';
import { loadTargets } from '../src/io/load-targets.js';
import { cli, readCsv, ROOT, tempDir } from './helpers.js';

/** Equal to 1e-9 of the larger magnitude (exactly, for zero). */
const close = (a: number, b: number) =>
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/**
 * Each keyboard step re-runs the model and redraws: on a shared 2-core machine under load the
 * whole test can pass a minute (a generous bound, not a speed claim).
 */
const BROWSER_TIMEOUT = 300_000;

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1]!;

interface Card {
  target: string;
  status: string;
  projected: string;
  gap: string;
  firstMet: string;
  probability: string;
}

describe.skipIf(!chromiumAvailable)('explorer.html in a real browser', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    // the page script from the sources under test (npm run build does the same)
    execFileSync(process.execPath, [join(ROOT, 'src', 'explore', 'bundle.mjs')]);
    dir = tempDir('explorer-');
    const r = cli(['explore', 'baseline', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(width: number): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({
      offline: true,
      acceptDownloads: true,
      viewport: { width, height: 900 },
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!/^(file|blob|data):/.test(r.url())) problems.push(`request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(join(dir, 'explorer.html')).href);
    await page.waitForSelector('body[data-ready=true]');
    return { page, problems };
  }

  const updates = (page: Page) =>
    page.evaluate(() => performance.getEntriesByName('explorer:update').map((m) => m.duration));

  /** Press a key on a lever's slider and wait until the page has redrawn. */
  async function press(page: Page, lever: string, key: string, times: number): Promise<void> {
    const slider = page.locator(`input[type=range][data-lever="${lever}"]`);
    await slider.focus();
    for (let i = 0; i < times; i++) {
      const before = (await updates(page)).length;
      await page.keyboard.press(key);
      await page.waitForFunction(
        (n) => performance.getEntriesByName('explorer:update').length > n,
        before,
      );
    }
  }

  const cards = (page: Page): Promise<Card[]> =>
    page.$$eval('article.card', (els) =>
      els.map((e) => {
        const d = (e as HTMLElement).dataset;
        return {
          target: d.target!,
          status: d.status!,
          projected: d.projected!,
          gap: d.gap!,
          firstMet: d.firstMet!,
          probability: d.probability!,
        };
      }),
    );

  it(
    'moves three levers by keyboard, saves a scenario that run reproduces',
    async () => {
      const { page, problems } = await open(1280);
      const load = await page.evaluate(
        () => performance.getEntriesByName('explorer:ready')[0]!.startTime,
      );
      const before = await cards(page);
      // three levers of different kinds: a distribution's mode, a distribution's mean, an offset
      await press(page, 'constants.dcCleanTrendPp', 'ArrowRight', 10);
      await press(page, 'parameters.gridFactor.growth', 'ArrowLeft', 5);
      await press(page, 'offsets.discountRate', 'ArrowUp', 10);
      const values = await page.$$eval('input[type=range][data-lever]', (els) =>
        Object.fromEntries(
          els.map((e) => [(e as HTMLInputElement).dataset.lever, (e as HTMLInputElement).value]),
        ),
      );
      expect(Number(values['constants.dcCleanTrendPp'])).toBeCloseTo(6.57 + 10 * 0.01, 9);
      expect(Number(values['parameters.gridFactor.growth'])).toBeCloseTo(-5 * 0.0001, 9);
      expect(Number(values['offsets.discountRate'])).toBeCloseTo(0.08 + 10 * 0.001, 9);
      // the hash holds the moved levers
      const hash = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
      expect(hash.get('constants.dcCleanTrendPp')).toBe(values['constants.dcCleanTrendPp']);

      // Monte Carlo after the levers rest
      await page.waitForFunction(
        () => document.querySelector('article.card')?.getAttribute('data-probability') !== '',
      );
      const mcMs = Number(await page.evaluate(() => document.body.dataset.mcMs));
      const after = await cards(page);
      // a faster clean-power trend moves the clean-electricity target's gap
      const clean = (cs: Card[]) => cs.find((c) => c.target === 'cloud-clean-100-2030')!;
      expect(Number(clean(after).gap)).toBeLessThan(Number(clean(before).gap));
      for (const c of after)
        if (c.status !== 'not-modelled') {
          const p = Number(c.probability);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
      const credits = await page.$eval('#credits dl', (e) => ({ ...(e as HTMLElement).dataset }));
      const table = await page.$$eval('#numbers td[data-value]', (tds) =>
        tds.map((td) => ({
          variable: td.closest('tr')!.getAttribute('data-variable')!,
          year: Number(td.getAttribute('data-year')),
          value: Number(td.getAttribute('data-value')),
        })),
      );
      expect(table.length).toBeGreaterThan(100);

      // save the scenario: a download
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
      expect(download.suggestedFilename()).toBe('baseline-explored.yaml');
      const saved = join(dir, download.suggestedFilename());
      await download.saveAs(saved);
      const text = readFileSync(saved, 'utf8');
      expect(text).toMatch(/^extends: baseline$/m);
      expect(text).toMatch(/why: "?TODO/);
      // only the changed levers: nothing about revenue or fuels
      expect(text).not.toMatch(/revenue|fuels/);

      // the CLI on the saved file: the same numbers (CSV: the same cells; in-process: 1e-9)
      const run = cli(['run', saved, '--out', join(dir, 'run')]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const csv = readCsv(join(dir, 'run', 'trajectories.csv'));
      const cell = new Map(csv.map((r) => [`${r.variable}|${r.year}`, r.value]));
      for (const t of table)
        expect(formatNumber(t.value), `${t.variable} ${t.year}`).toBe(
          cell.get(`${t.variable}|${t.year}`),
        );
      const targetsRun = cli(['targets', saved, '--out', join(dir, 'targets')]);
      expect(targetsRun.code).toBe(0);
      const targetRows = readCsv(join(dir, 'targets', 'targets.csv'));
      for (const c of after) {
        const row = targetRows.find((r) => r.target_id === c.target)!;
        expect(row.status, c.target).toBe(c.status);
        expect(row.first_met_year, c.target).toBe(c.firstMet);
        expect(row.projected_value, c.target).toBe(
          c.projected === '' ? '' : formatNumber(Number(c.projected)),
        );
      }
      const { org, runs } = await projectScenarios([saved], {});
      const [evaluated] = evaluateRuns(runs, loadTargets(org.folder));
      const rows = new Map(runs[0]!.rows.map((r) => [`${r.variable}|${r.year}`, r.value]));
      for (const t of table)
        expect(
          close(t.value, rows.get(`${t.variable}|${t.year}`)!),
          `${t.variable} ${t.year}`,
        ).toBe(true);
      for (const c of after) {
        const r = evaluated!.results.find((x) => x.targetId === c.target)!;
        if (r.gap !== undefined) expect(close(Number(c.gap), r.gap), c.target).toBe(true);
        if (r.projectedValue !== undefined)
          expect(close(Number(c.projected), r.projectedValue), c.target).toBe(true);
      }
      const summary = runs[0]!.offsets!.summary;
      expect(close(Number(credits.npvCentral), summary.npv.central)).toBe(true);
      expect(close(Number(credits.npvLow), summary.npv.low)).toBe(true);
      expect(close(Number(credits.cumulativeCentral), summary.cumulative.cost.central)).toBe(true);
      expect(close(Number(credits.tonnes), summary.tonnes)).toBe(true);

      expect(problems).toEqual([]);
      const lat = await updates(page);
      process.stdout.write(
        `explorer (timings on this machine, not asserted): load to interactive ` +
          `${load.toFixed(0)} ms; slider → redrawn p95 ${p95(lat).toFixed(1)} ms over ` +
          `${lat.length} inputs; 1,000-path Monte Carlo in the worker ${mcMs.toFixed(0)} ms\n`,
      );
      const shots = resolve(ROOT, 'test-results');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'explorer-1280.png') });
      await page.context().close();
    },
    BROWSER_TIMEOUT,
  );

  it(
    'holds typed values at the bound with a note, and a link reproduces the view',
    async () => {
      const { page, problems } = await open(390);
      const box = page.locator('input[data-lever-box="offsets.discountRate"]');
      await box.fill('5');
      await box.press('Enter');
      const note = page.locator('input[data-lever-box="offsets.discountRate"] >> xpath=../..');
      await expect.poll(() => note.locator('.note').textContent()).toMatch(/held at 0\.2/);
      expect(await box.inputValue()).toBe('0.2');
      await page.waitForFunction(() => location.hash.includes('offsets.discountRate=0.2'));
      const url = page.url();
      const npv = await page.$eval('#credits dl', (e) => (e as HTMLElement).dataset.npvCentral);
      // the same link in a fresh page: the same lever value and the same numbers
      const second = await page.context().newPage();
      await second.goto(url);
      await second.waitForSelector('body[data-ready=true]');
      expect(
        await second.locator('input[data-lever-box="offsets.discountRate"]').inputValue(),
      ).toBe('0.2');
      expect(await second.$eval('#credits dl', (e) => (e as HTMLElement).dataset.npvCentral)).toBe(
        npv,
      );
      // no NaN anywhere, nothing wider than the phone's screen
      expect(await page.innerText('#app')).not.toMatch(/NaN/);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      // compare: the pinned state appears beside the live one
      await page.click('#pin');
      expect(await page.locator('article.card .pinned').count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      await page.screenshot({ path: join(resolve(ROOT, 'test-results'), 'explorer-390.png') });
      await page.context().close();
    },
    BROWSER_TIMEOUT,
  );
});
