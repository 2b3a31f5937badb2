import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHARTS, cli, readCsv, ROOT, tempDir } from './helpers.js';
import { SCENARIO_PALETTE } from '../src/report/charts.js';
import { CHROMIUM_FLAGS } from '../src/io/print-pdf.js';

// Debian's Chromium (installed by .ci/run). Locally without it the test is skipped; in CI it
// must run.
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI)
  throw new Error(`${CHROMIUM} is missing: .ci/run should have installed Debian's chromium`);

describe.skipIf(!available)('report.html in a real browser', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    dir = join(tempDir('report-browser-'), 'latest');
    expect(cli(['report', '--out', dir, '--samples', '300']).code).toBe(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_FLAGS, // the flags report --pdf uses
    });
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

  const open = async (width: number, height: number): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
    return page;
  };
  /** How far the page scrolls sideways (0: none). */
  const sideways = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  it('at 1280×900 the headline (words and target table) shows without scrolling', async () => {
    const page = await open(1280, 900);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    const boxes = await page.$$eval('#headline h2, #headline p.lead, #headline table', (els) =>
      els.slice(0, 6).map((e) => ({ tag: e.tagName, bottom: e.getBoundingClientRect().bottom })),
    );
    expect(boxes.map((b) => b.tag)).toContain('TABLE');
    const table = boxes.find((b) => b.tag === 'TABLE')!;
    expect(table.bottom).toBeLessThanOrEqual(900);
    const rows = readCsv(join(dir, 'headline-targets.csv'));
    const shown = await page.$$eval('#headline-targets tbody tr', (trs) =>
      trs.map((tr) => tr.querySelector('td')!.textContent),
    );
    expect(shown).toEqual(rows.map((r) => r.target));
    await page.close();
  });

  it('at 390 px nothing scrolls sideways and chart text is at least 11 px on screen', async () => {
    const page = await open(390, 844);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    const sizes = await page.$$eval('svg[data-chart-narrow]', (svgs) =>
      svgs.map((svg) => {
        // text in an SVG scaled to fit is drawn smaller than its font-size: measure the scale
        const scale =
          svg.getBoundingClientRect().width / (svg as SVGSVGElement).width.baseVal.value;
        const px = [...svg.querySelectorAll('text')].map(
          (t) => parseFloat(getComputedStyle(t).fontSize) * scale,
        );
        return { id: svg.getAttribute('data-chart-narrow'), min: Math.min(...px), n: px.length };
      }),
    );
    expect(sizes.map((s) => s.id)).toEqual(CHARTS);
    for (const s of sizes) {
      expect(s.n, s.id!).toBeGreaterThan(5);
      expect(s.min, s.id!).toBeGreaterThanOrEqual(11);
    }
    // the wide charts are not what a phone shows
    expect(
      await page.$$eval('svg[data-chart]', (s) => s.filter((x) => x.checkVisibility()).length),
    ).toBe(0);
    await page.close();
  });

  it('gives each scenario one colour in every chart, from the 3:1 palette', async () => {
    const page = await open(1280, 900);
    const charts = await page.$$eval('svg[data-chart]', (svgs) =>
      svgs.map((svg) => ({
        id: svg.getAttribute('data-chart')!,
        legend: [...svg.querySelectorAll('.role-legend-label text')].map((t) => {
          const entry = t.closest('.role-legend-label')!.parentElement!;
          const sym = entry.querySelector('.role-legend-symbol path')!;
          return [t.textContent!, sym.getAttribute('stroke') ?? sym.getAttribute('fill')!];
        }),
        lines: [...svg.querySelectorAll('.mark-line.role-mark path')].map((p) =>
          p.getAttribute('stroke'),
        ),
      })),
    );
    const scenarios = readCsv(join(dir, 'offsets-summary.csv')).map((r) => r.scenario!);
    expect(scenarios.length).toBe(5);
    const seen = new Map<string, Set<string>>(scenarios.map((s) => [s, new Set()]));
    let legends = 0;
    for (const c of charts) {
      for (const [label, color] of c.legend) {
        if (seen.has(label!)) {
          seen.get(label!)!.add(color!.toLowerCase());
          legends++;
        }
      }
    }
    expect(legends).toBeGreaterThan(30);
    scenarios.forEach((s, i) => {
      expect([...seen.get(s)!], s).toEqual([SCENARIO_PALETTE[i]]);
    });
    // a fan is drawn in its scenario's colour (baseline: the first)
    const fan = charts.find((c) => c.id === 'chart-fan-scope12')!;
    expect(fan.lines).toEqual([SCENARIO_PALETTE[0]]);
    await page.close();
  });

  it('prints to A4 PDF with every table whole: the last column of each is in the PDF', async () => {
    const page = await open(1280, 900);
    await page.emulateMedia({ media: 'print' });
    // in print layout no table is wider than the page's text column
    const clipped = await page.$$eval('table', (ts) =>
      ts
        .filter(
          (t) => t.getBoundingClientRect().right > document.body.getBoundingClientRect().right + 1,
        )
        .map((t) => t.querySelector('th')?.textContent),
    );
    expect(clipped).toEqual([]);
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    const text = await pdfText(pdf);
    expect(text.pages).toBeGreaterThan(8);
    const squash = (s: string) => s.replace(/\s+/g, '');
    const all = squash(text.text);
    for (const t of ['offsets-summary', 'headline-credits', 'credit-drivers', 'decomposition']) {
      const csv = readFileSync(join(dir, `${t}.csv`), 'utf8')
        .split('\n')[0]!
        .split(',');
      // the last column's heading; wrapped onto several lines, so compared without spaces
      expect(all, t).toContain(squash(csv[csv.length - 1]!.replace(/"/g, '')));
    }
    // the inflation column (the offsets table's last) with its values
    expect(all).toContain('inflation');
    expect(all).toContain('2%');
    await page.close();
  });

  it('report --pdf writes report.pdf through this Chromium', async () => {
    const out = join(tempDir('report-pdf-'), 'r');
    const r = cli(['report', '--out', out, '--samples', '0', '--pdf']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const bytes = readFileSync(join(out, 'report.pdf'));
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(bytes);
    expect(text.text).toContain('Headline');
    expect(text.pages).toBeGreaterThan(8);
  });
});

/** Text of a PDF, through pdf.js (a reader library, not the browser that wrote it). */
async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false })
    .promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += `${content.items.map((it) => ('str' in it ? it.str : '')).join(' ')}\n`;
  }
  return { pages: doc.numPages, text };
}
