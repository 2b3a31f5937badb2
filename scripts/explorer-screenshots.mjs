// Screenshots of explorer.html once its Monte Carlo has drawn the bands, for the README:
//   npm run build && node dist/cli/bin.js explore baseline --out reports/explorer
//   node scripts/explorer-screenshots.mjs reports/explorer docs/img
// writes explorer.png (1280 px, the README's) and explorer-390.png (a phone, to look at).
// Uses Debian's Chromium through playwright-core (no browser download), as the browser tests do.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../dist/io/print-pdf.js';

const [folder = 'reports/explorer', out = 'docs/img'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CARBONPATH_CHROMIUM ?? '/usr/bin/chromium',
  args: CHROMIUM_FLAGS,
});
const url = pathToFileURL(resolve(folder, 'explorer.html')).href;
for (const [name, width, height, full] of [
  ['explorer.png', 1280, 1600, false],
  ['explorer-390.png', 390, 844, true],
]) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(url);
  // the bands come with the first Monte Carlo, once the page is drawn
  await page.waitForSelector('path[data-band]', { state: 'attached', timeout: 120_000 });
  await page.screenshot({ path: join(out, name), fullPage: full });
  await page.close();
}
await browser.close();
