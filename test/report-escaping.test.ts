import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const FIXTURE = 'test/fixtures/usd-calendar-scope12';
const NAME = '<img src=x onerror=alert(1)>';
const NOTE = '</p><script>alert(2)</script>';
const TITLE = '[x](javascript:alert(1)) | *bold* | # not a heading';
const SOURCE = '![i](javascript:alert(3)) <b>src</b>\n| cell |';

/** Unescaped pipes in a line (not preceded by an odd run of backslashes). */
const pipes = (line: string) =>
  [...line.matchAll(/(\\*)\|/g)].filter((m) => m[1]!.length % 2 === 0).length;

describe('report.md: free text from the organization cannot inject Markdown or HTML', () => {
  let md: string;
  let html: string;
  beforeAll(() => {
    const data = join(tempDir('evil-org-'), 'org');
    cpSync(FIXTURE, data, { recursive: true });
    const edit = (file: string, edits: Array<[string, string]>) => {
      let text = readFileSync(join(data, file), 'utf8');
      for (const [from, to] of edits) {
        expect(text, `${file}: ${from}`).toContain(from);
        text = text.replace(from, to);
      }
      writeFileSync(join(data, file), text);
    };
    const q = (s: string) => JSON.stringify(s);
    edit('organization.yaml', [
      ['name: Calendar Scope12 Inc', `name: ${q(NAME)}`],
      ['note: "calendar year"', `note: ${q(NOTE)}`],
      ['source: "NDRC default, as data/alibaba-group"', `source: ${q(SOURCE)}`],
    ]);
    edit('targets.yaml', [
      ['title: Scope 1+2 −30% vs 2023 by 2030,', `title: ${q(TITLE)},`],
      ['source: fixture.txt:9,', `source: ${q(SOURCE)},`],
    ]);
    const out = join(tempDir('evil-report-'), 'report');
    const r = cli(['report', '--data', data, '--samples', '0', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    md = readFileSync(join(out, 'report.md'), 'utf8');
    html = readFileSync(join(out, 'report.html'), 'utf8');
  });

  it('has no HTML at all: every < of the input is a character reference', () => {
    expect(md).not.toContain('<');
    expect(md.split('\n')[0]).toBe(
      '# &lt;img src=x onerror=alert\\(1\\)&gt;: climate pathway progress report, as of 2024',
    );
    expect(md).toContain(
      'Latest actual year 2024 (&lt;/p&gt;&lt;script&gt;alert\\(2\\)&lt;/script&gt;); ',
    );
  });

  it('has no live link: the only ]( are our chart images', () => {
    const targets = [...md.matchAll(/(\\*)\]\(([^)]*)\)/g)]
      .filter((m) => m[1]!.length % 2 === 0)
      .map((m) => m[2]);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(t).toMatch(/^chart-[a-z0-9-]+\.svg$/);
    expect(md).toContain(
      '![\\[x\\]\\(javascript:alert\\(1\\)\\) \\| \\*bold\\* \\| \\# not a heading]' +
        '(chart-target-s12-minus-30.svg)',
    );
    // the chart's caption names the target; its source is in the provenance appendix
    expect(md).toContain(
      '_\\[x\\]\\(javascript:alert\\(1\\)\\) \\| \\*bold\\* \\| \\# not a heading. ',
    );
    expect(md).toContain(
      '| s12-minus-30 | ' +
        '\\[x\\]\\(javascript:alert\\(1\\)\\) \\| \\*bold\\* \\| \\# not a heading | ' +
        '\\!\\[i\\]\\(javascript:alert\\(3\\)\\) &lt;b&gt;src&lt;/b&gt;&#10;\\| cell \\| |',
    );
  });

  it('keeps each table row to its header’s column count; no line is an injected heading', () => {
    const lines = md.split('\n');
    let columns = 0;
    for (const [i, line] of lines.entries()) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      if (columns === 0) columns = pipes(line);
      else expect(pipes(line), `line ${i + 1}: ${line}`).toBe(columns);
    }
    const row = lines.find((l) => l.startsWith('| fuelFactor.diesel |'))!;
    expect(row).toContain(
      // (sources are written on one line: the newline became a space before escaping)
      '| \\!\\[i\\]\\(javascript:alert\\(3\\)\\) &lt;b&gt;src&lt;/b&gt; \\| cell \\| |',
    );
    for (const line of lines.filter((l) => l.startsWith('#')))
      expect(line).toMatch(/^#{1,3} [A-Z&]/);
  });

  it('report.html still escapes the same text', () => {
    expect(html).not.toMatch(/<img|<script|<b>|href="javascript/);
    expect(html).toContain(
      '<h1>&lt;img src=x onerror=alert(1)&gt;: climate pathway progress report, as of 2024</h1>',
    );
    expect(html).toContain('&lt;/p&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('[x](javascript:alert(1)) | *bold* | # not a heading');
  });
});
