/**
 * Docs that run (issue #15, item 8; issue #12, acceptance): every fenced example in README.md
 * and docs/*.md is run or validated here, as written. A marker line just before a block says
 * what it is, when it is not a command to run:
 *
 *   <!-- docs-test: not run: REASON -->   shown, not run, and why (a cron line, `npm ci`, …)
 *   <!-- docs-test: file PATH -->         saved as PATH in the doc's work folder, before any
 *                                         of its commands run (one of them must name PATH)
 *   <!-- docs-test: fresh -->             a shell block run in a new work folder that holds
 *                                         only the saved files it names (e.g. one that inits)
 *   <!-- docs-test: scenario -->          a complete scenario file: `validate` (the one
 *                                         validation path) against the bundled organization
 *   <!-- docs-test: excerpt PATH -->      lines of the repository file PATH, in order (a line
 *                                         `# …` stands for lines left out); an organization
 *                                         folder quoted so is validated and run here
 *
 * Shell blocks (`sh`) without a marker are run command by command, `npx carbonpath` as the
 * built bin, in a temporary work folder per document (with `data` and `schema` linked to the
 * repository's): exit 0, or the code its comment states (`# … exit 3 …`). Blocks without a
 * language are diagrams and equations: they must hold no command.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BIN, cli, ROOT, tempDir } from './helpers.js';

interface Block {
  doc: string;
  line: number;
  lang: string;
  text: string;
  marker: string | undefined;
}

const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

function blocksOf(doc: string): Block[] {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    expect(end, `${doc}:${i + 1}: an unclosed block`).toBeGreaterThan(i);
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const marker = /^<!-- docs-test: (.+?) -->$/.exec(lines[k] ?? '')?.[1];
    blocks.push({
      doc,
      line: i + 1,
      lang: open[1]!,
      text: lines.slice(i + 1, end).join('\n') + '\n',
      marker,
    });
    i = end;
  }
  return blocks;
}

/** Whether shell text ends inside a quote (a `#` comment outside quotes is skipped). */
function insideQuote(text: string): boolean {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const eol = text.indexOf('\n', i);
      if (eol < 0) break;
      i = eol;
    }
  }
  return quote !== '';
}

/** Shell commands of a block: a command goes on while a quote is open or a line ends in `\`. */
function commandsOf(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (current === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    current += (current ? '\n' : '') + line;
    if (!insideQuote(current) && !line.endsWith('\\')) {
      out.push(current);
      current = '';
    }
  }
  expect(current, 'a command left open').toBe('');
  return out;
}

/** The exit code a command's comment states (`# … exit 3 …`), else 0. */
const expectedExit = (command: string): number =>
  Number(/#[^'"]*\bexits? (\d)\b/.exec(command)?.[1] ?? 0);

function runShell(command: string, cwd: string): { code: number; output: string } {
  const script = command.replace(
    /\bnpx carbonpath\b/g,
    `${JSON.stringify(process.execPath)} ${BIN}`,
  );
  const r = spawnSync('bash', ['-c', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CARBONPATH_DEBUG: '' },
  });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** Lines of `block` found in `file` in the same order (`# …` lines stand for lines left out). */
function excerptMismatch(block: string, file: string): string | undefined {
  const have = file.split('\n').map((l) => l.trimEnd());
  let at = 0;
  for (const raw of block.split('\n')) {
    const line = raw.trimEnd();
    if (line === '' || /^\s*# …/.test(line)) continue;
    const found = have.indexOf(line, at);
    if (found < 0) return line;
    at = found + 1;
  }
  return undefined;
}

/** A work folder for one document's commands: `data` and `schema` as in a clone. */
function workFolder(): string {
  const cwd = join(tempDir('carbonpath-docs-'), 'work');
  mkdirSync(cwd);
  for (const name of ['data', 'schema']) symlinkSync(join(ROOT, name), join(cwd, name));
  return cwd;
}

const LANGS = new Set(['', 'sh', 'yaml', 'csv', 'cron', 'js']);

describe.each(DOCS)('%s', (doc) => {
  const blocks = blocksOf(doc);
  const cwd = workFolder();
  // the doc's files first: a command may come before the example it runs
  const saved = blocks.flatMap((b) => {
    const path = /^file (\S+)$/.exec(b.marker ?? '')?.[1];
    if (!path) return [];
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), b.text);
    return [path];
  });
  const ran: string[] = [];
  const folders = new Set<string>();

  it.each(blocks.map((b) => [`line ${b.line} (${b.lang || 'text'})`, b] as const))('%s', (_, b) => {
    const at = `${b.doc}:${b.line}`;
    expect(LANGS.has(b.lang), `${at}: a block in ${b.lang}`).toBe(true);
    if (b.lang === 'yaml') expect(() => parseYaml(b.text), at).not.toThrow();
    const marker = b.marker ?? '';
    if (b.lang === '') {
      expect(b.text, `${at}: a command in a block without a language`).not.toMatch(
        /^\s*(\$ |npx |npm |node |carbonpath )/m,
      );
      return;
    }
    if (marker.startsWith('not run: ')) {
      expect(marker.length, `${at}: say why it is not run`).toBeGreaterThan(20);
      return;
    }
    if (marker.startsWith('file ')) return; // saved above
    if (marker === 'scenario') {
      const file = join(cwd, `example-${b.line}.yaml`);
      writeFileSync(file, b.text);
      const r = cli(['validate', file], cwd);
      expect(r.code, `${at}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/\(scenario '/);
      return;
    }
    if (marker.startsWith('excerpt ')) {
      const path = marker.slice('excerpt '.length);
      const missing = excerptMismatch(b.text, readFileSync(join(ROOT, path), 'utf8'));
      expect(missing, `${at}: not in ${path}`).toBeUndefined();
      const folder = dirname(path);
      if (readdirSync(join(ROOT, folder)).includes('organization.yaml') && !folders.has(folder)) {
        folders.add(folder);
        const v = cli(['validate', folder]);
        expect(v.code, `${at}: validate ${folder}: ${v.stderr}`).toBe(0);
        const r = cli(['run', '--data', folder, '--out', join(cwd, 'excerpt-run', folder)]);
        expect(r.code, `${at}: run --data ${folder}: ${r.stderr}`).toBe(0);
      }
      return;
    }
    expect(['', 'fresh'], `${at}: an unknown marker`).toContain(marker);
    expect(b.lang, `${at}: a ${b.lang} block needs a docs-test marker`).toBe('sh');
    let here = cwd;
    if (marker === 'fresh') {
      here = workFolder();
      for (const path of saved.filter((p) => b.text.includes(p))) {
        mkdirSync(dirname(join(here, path)), { recursive: true });
        writeFileSync(join(here, path), readFileSync(join(cwd, path)));
      }
    }
    for (const command of commandsOf(b.text)) {
      expect(command, `${at}: only carbonpath commands run here`).toMatch(/^npx carbonpath /);
      const r = runShell(command, here);
      expect(r.code, `${at}: ${command}\n${r.output}`).toBe(expectedExit(command));
      ran.push(command);
    }
  });

  it('every saved file is used by a command of the document (itself or its folder)', () => {
    for (const path of saved) {
      const folder = new RegExp(`\\s${path.split('/')[0]}/?(\\s|$)`);
      expect(
        ran.some((c) => c.includes(path) || (path.includes('/') && folder.test(c))),
        `${doc}: ${path} is saved but no command uses it`,
      ).toBe(true);
    }
  });
});
