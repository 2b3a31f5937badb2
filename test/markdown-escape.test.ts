import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  escapeMarkdown,
  escapeMarkdownAfter,
  escapeMarkdownInline,
} from '../src/report/escape.js';
import { concat, plainText, prose, renderText } from '../src/report/text.js';

// The check, written without a Markdown parser: escapeMarkdown writes only backslash escapes
// of punctuation and these character references, so undoing exactly those must give back the
// input, and no metacharacter may be left that is not escaped.
const REFERENCES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  '#10': '\n',
  '#13': '\r',
  '#32': ' ',
  '#9': '\t',
};
const unescapeMarkdown = (s: string) =>
  s.replace(/\\([\s\S])|&(amp|lt|gt|#10|#13|#32|#9);/g, (_, c: string, ref: string) =>
    c === undefined ? REFERENCES[ref]! : c,
  );
const META = new Set('\\`*_[]()!|~#{}$<>\n\r');

/** Every metacharacter is escaped, every backslash escapes punctuation, every & is a reference. */
function inert(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const next = s[i + 1];
      if (next === undefined || !/[!-/:-@[-`{-~]/.test(next)) return false;
      i++;
    } else if (c === '&') {
      const ref = /^&(amp|lt|gt|#10|#13|#32|#9);/.exec(s.slice(i));
      if (!ref) return false;
      i += ref[0].length - 1;
    } else if (META.has(c)) return false;
  }
  return true;
}

/** Pipes not preceded by an escaping backslash (an odd run of backslashes). */
const unescapedPipes = (s: string) =>
  [...s.matchAll(/(\\*)\|/g)].filter((m) => m[1]!.length % 2 === 0).length;

const markdownish = fc.string({
  unit: fc.constantFrom(
    '<',
    '>',
    '[',
    ']',
    '(',
    ')',
    '|',
    '\\',
    '*',
    '_',
    '#',
    '`',
    '!',
    '&',
    '\n',
    '\r',
    ' ',
    '\t',
    '-',
    '+',
    '=',
    '1',
    '.',
    'a',
    'amp;',
    'lt;',
    'javascript:',
    '<img src=x onerror=alert(1)>',
  ),
  maxLength: 40,
});
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), markdownish);

describe('escapeMarkdown: free text becomes inert Markdown', () => {
  it('for any string: no raw <, no ](, no unescaped |, and unescaping gives it back', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (s, inline) => {
        const e = inline ? escapeMarkdownInline(s) : escapeMarkdown(s);
        expect(e).not.toContain('<');
        expect(e).not.toContain('>');
        expect(e).not.toContain('](');
        expect(e).not.toMatch(/[\n\r]/);
        expect(unescapedPipes(e)).toBe(0);
        expect(inert(e)).toBe(true);
        expect(unescapeMarkdown(e)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('for any string: cannot begin a block (heading, quote, list, setext line, code)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(escapeMarkdown(s)).not.toMatch(/^([-+=#>*]|\d+[.)]|[ \t])/);
      }),
      { numRuns: 2000 },
    );
  });

  it('a table row of escaped cells keeps its column count, whatever the cells hold', () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 6 }), (cells) => {
        const row = `| ${cells.map(escapeMarkdownInline).join(' | ')} |`;
        expect(unescapedPipes(row)).toBe(cells.length + 1);
        expect(row).not.toContain('\n');
      }),
    );
  });

  it('escapes the usual attacks to these exact strings', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe(
      '&lt;img src=x onerror=alert\\(1\\)&gt;',
    );
    expect(escapeMarkdown('[x](javascript:alert(1))')).toBe('\\[x\\]\\(javascript:alert\\(1\\)\\)');
    expect(escapeMarkdown('![i](http://evil/t.png)')).toBe('\\!\\[i\\]\\(http://evil/t.png\\)');
    expect(escapeMarkdown('a | b')).toBe('a \\| b');
    expect(escapeMarkdown('a\\|b')).toBe('a\\\\\\|b');
    expect(escapeMarkdown('# heading')).toBe('\\# heading');
    expect(escapeMarkdown('> quote')).toBe('&gt; quote');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('+ item')).toBe('\\+ item');
    expect(escapeMarkdown('12. item')).toBe('12\\. item');
    expect(escapeMarkdown('1) item')).toBe('1\\) item');
    expect(escapeMarkdown('===')).toBe('\\===');
    expect(escapeMarkdown('    code')).toBe('&#32;&#32;&#32;&#32;code');
    expect(escapeMarkdown('*bold* _em_ `code` ~~s~~')).toBe(
      '\\*bold\\* \\_em\\_ \\`code\\` \\~\\~s\\~\\~',
    );
    expect(escapeMarkdown('line\nbreak\r\n')).toBe('line&#10;break&#13;&#10;');
    expect(escapeMarkdown('&lt; is not <')).toBe('&amp;lt; is not &lt;');
    expect(escapeMarkdown('{: onclick="x"} $x$')).toBe('\\{: onclick="x"\\} \\$x\\$');
  });

  it('leaves ordinary text, numbers and units as they are', () => {
    for (const s of ['Scope 1+2 −30% vs 2023 by 2030', 't CO2e/M USD', '1,234.5', 'FY2030 → 2035'])
      expect(escapeMarkdown(s)).toBe(s);
  });
});

describe('escapeMarkdownAfter: block-start escapes only where a block could start', () => {
  // our wording before a free value: the last line without a letter (empty, indentation, list
  // and quote markers, digits, a table's pipe) or with one
  const noLetter = fc.constantFrom('', '  ', '- ', '> ', '1. ', '12', '* ', '| ', 'x\n', '>  - ');
  const withLetter = fc.constantFrom('takes ', '- Note: ', '## Target ', 'a\n> b ', '| x | ');
  it('with no letter on the line so far: the full escaping', () => {
    fc.assert(
      fc.property(noLetter, anyText, (before, s) => {
        expect(escapeMarkdownAfter(before, s)).toBe(escapeMarkdown(s));
      }),
      { numRuns: 1000 },
    );
  });
  it('once the line holds a letter: inline escaping', () => {
    fc.assert(
      fc.property(withLetter, anyText, (before, s) => {
        expect(escapeMarkdownAfter(before, s)).toBe(escapeMarkdownInline(s));
      }),
      { numRuns: 1000 },
    );
  });
  it('numbers in a sentence or a cell read as written; at a line start they stay escaped', () => {
    const md = (t: ReturnType<typeof prose>) =>
      renderText(t, (free, before) => escapeMarkdownAfter(before, free));
    expect(md(prose`takes ${'5.93'} Mt, ${'-4.7%'}`)).toBe('takes 5.93 Mt, -4.7%');
    expect(md(prose`${'5.93'} Mt`)).toBe('5\\.93 Mt');
    expect(md(prose`- ${'1. x'}`)).toBe('- 1\\. x');
    expect(md(prose`Note\n${'- x'}`)).toBe('Note\n\\- x');
    expect(escapeMarkdownInline('-4.7%')).toBe('-4.7%');
    expect(escapeMarkdownInline('a|b <i>')).toBe('a\\|b &lt;i&gt;');
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes to these exact strings', () => {
    expect(escapeHtml('<img src=x onerror="alert(1)">')).toBe(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;',
    );
    expect(escapeHtml('a & b')).toBe('a &amp; b');
  });
});

describe('report text: our wording as written, the values escaped', () => {
  it('escapes only the spliced-in strings; numbers and wording stay', () => {
    const t = prose`${'<b>Acme</b>'}: report (as of FY${2026})`;
    expect(renderText(t, escapeMarkdown)).toBe('&lt;b&gt;Acme&lt;/b&gt;: report (as of FY2026)');
    expect(plainText(t)).toBe('<b>Acme</b>: report (as of FY2026)');
  });
  it('a plain string is all free text', () => {
    expect(renderText('(a) [b]', escapeMarkdown)).toBe('\\(a\\) \\[b\\]');
  });
  it('concat joins pieces and keeps which parts are free', () => {
    const t = concat(prose`(${'x|y'}) `, '[z]', prose` (FY${2030})`, prose``);
    expect(renderText(t, escapeMarkdown)).toBe('(x\\|y) \\[z\\] (FY2030)');
    expect(plainText(t)).toBe('(x|y) [z] (FY2030)');
  });
});
