/**
 * The command line as a few bundled files (docs/performance.md, "Start-up"): esbuild writes
 * dist/cli/bin.js over tsc's, with the code each command needs in chunks beside it
 * (dist/cli/bundle-*.js), loaded when that command runs. Node then resolves and compiles a
 * handful of files instead of several hundred ES modules (commander, yaml, zod, csv, the
 * formula parser's part of mathjs, the app), and the formula parser is only the part of mathjs
 * it uses (src/app/formula-parser.ts). The same parser is also bundled on its own over tsc's
 * dist/app/formula-parser.js, for the library. The report's charting and spreadsheet libraries
 * (vega, exceljs, jszip) stay ordinary imports: only `report` loads them. zod's messages come
 * in English only (zodEnglishOnly below).
 * Run by `npm run build` and the tests' global setup, after tsc.
 */
import { build } from 'esbuild';
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** Loaded by `report` alone, large, and fine as they are: not bundled. */
const EXTERNAL = ['exceljs', 'jszip', 'vega', 'vega-lite'];
for (const name of EXTERNAL)
  if (!pkg.dependencies[name]) throw new Error(`${name} is no longer a dependency: update me`);

const CLI = join(ROOT, 'dist', 'cli');
// chunks of an earlier build (their names carry a content hash)
for (const f of readdirSync(CLI)) if (/^bundle-.*\.js$/.test(f)) rmSync(join(CLI, f));

/**
 * zod's `locales` namespace re-exports every language's messages (~50 of them, a third of the
 * zod bundle), and Node would read and compile them all on every call. carbonpath's messages are
 * English (zod sets `en` itself on the first schema; nothing calls `z.locales`), so the index is
 * replaced by one that exports `en` alone.
 */
let zodLocalesReplaced = false;
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    const index = /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;
    b.onLoad({ filter: index }, (args) => {
      zodLocalesReplaced = true;
      return {
        contents: 'export { default as en } from "./en.js";\n',
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  plugins: [zodEnglishOnly],
  // CommonJS packages inside an ES module bundle call require for Node's built-ins
  banner: {
    js:
      "import { createRequire as __cpRequire } from 'node:module';\n" +
      'const require = __cpRequire(import.meta.url);',
  },
};

await build({
  ...common,
  // bin.js and its chunks sit in dist/cli/, as tsc's files do: package-root.ts finds the
  // package two folders up from whichever file it is bundled into
  entryPoints: { bin: join(ROOT, 'src', 'cli', 'bin.ts') },
  outdir: CLI,
  splitting: true,
  chunkNames: 'bundle-[hash]',
  allowOverwrite: true,
});
if (!zodLocalesReplaced)
  throw new Error("zod's locales index was not found: update zodEnglishOnly");

await build({
  ...common,
  entryPoints: [join(ROOT, 'src', 'app', 'formula-parser.ts')],
  outfile: join(ROOT, 'dist', 'app', 'formula-parser.js'),
  allowOverwrite: true,
});

// the package's bin: executable, so that `npx carbonpath` runs it on any file system
chmodSync(join(CLI, 'bin.js'), 0o755);
