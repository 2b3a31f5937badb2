// Screenshots of the top of report.html at desktop and phone widths, for the README:
//   npm run build && node dist/cli/bin.js report --out reports/latest
//   node scripts/report-screenshots.mjs reports/latest docs
// Uses Debian's Chromium through playwright-core (no browser download), as the browser tests do.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../dist/io/print-pdf.js';

const [folder = 'reports/latest', out = 'docs'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CARBONPATH_CHROMIUM ?? '/usr/bin/chromium',
  args: CHROMIUM_FLAGS,
});
const url = pathToFileURL(resolve(folder, 'report.html')).href;
for (const [name, width, height, scale] of [
  ['report-desktop.png', 1280, 900, 1],
  ['report-phone.png', 390, 844, 2],
]) {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: scale });
  await page.goto(url, { waitUntil: 'load' });
  await page.screenshot({ path: join(out, name) });
  await page.close();
}
await browser.close();
