/**
 * Debian's Chromium for the browser tests (installed by .ci/run): locally without it those
 * tests are skipped; in CI they must run. Never a browser downloaded by an install step.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../src/io/print-pdf.js';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable && process.env.CI)
  throw new Error(`${CHROMIUM} is missing: .ci/run should have installed Debian's chromium`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS, // the flags report --pdf uses
  });
}
