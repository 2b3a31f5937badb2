/**
 * report --pdf: print report.html to PDF with a locally installed Chromium (the one the browser
 * tests use), never a browser downloaded by a package. The page's own `@media print` rules
 * lay out the A4 board pack; this only drives the browser. The PDF is returned as bytes so
 * the report's one write transaction writes it with the rest.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Chromium to print with: $CARBONPATH_CHROMIUM, else Debian's or Ubuntu's; none → undefined. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.CARBONPATH_CHROMIUM;
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  return CANDIDATES.find((c) => existsSync(c));
}

/** The flags the browser tests use: no sandbox (root in CI), no GPU, no network of its own. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function printToPdf(html: string, chromium: string): Uint8Array {
  // The page is self-contained (inline CSS and SVG, no scripts): a scratch copy is all the
  // browser needs. It is an input to Chromium, not an output, and is removed in any case.
  const dir = mkdtempSync(join(tmpdir(), 'carbonpath-pdf-'));
  try {
    const page = join(dir, 'report.html');
    const pdf = join(dir, 'report.pdf');
    writeFileSync(page, html);
    const r = spawnSync(
      chromium,
      [
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${join(dir, 'profile')}`,
        '--no-pdf-header-footer',
        `--print-to-pdf=${pdf}`,
        pathToFileURL(page).href,
      ],
      { encoding: 'utf8', timeout: 180_000 },
    );
    if (!existsSync(pdf)) {
      const why = (r.error?.message ?? r.stderr ?? '').trim().split('\n').slice(-2).join(' ');
      throw new UsageError(
        `${chromium} did not print report.pdf (${why || `exit ${r.status}`}); ` +
          'check that this Chromium starts (chromium --headless --version), or leave out --pdf',
      );
    }
    return readFileSync(pdf);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
