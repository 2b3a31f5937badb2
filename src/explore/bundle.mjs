/**
 * Builds the explorer page's script (dist/explore/page.js) with esbuild: the same app and core
 * modules the CLI runs, bundled for the browser. The few modules that read files are replaced by
 * page versions that serve the files the CLI already read and validated (src/explore/page/shims),
 * and nothing of zod or mathjs reaches the page (the CLI validated the files and parsed the
 * formulas: src/explore/formulas.ts). Node built-ins are replaced by a stub that throws if a
 * page code path ever calls one.
 * Run by `npm run build` (after tsc). docs/explorer.md explains the choice.
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHIMS = join(ROOT, 'src', 'explore', 'page', 'shims');
const IO = join(ROOT, 'src', 'io');
/** io modules that read the file system → their page versions (same exports). */
const REPLACED = {
  [join(IO, 'package-root.ts')]: join(SHIMS, 'package-root.ts'),
  [join(IO, 'load-prices.ts')]: join(SHIMS, 'load-prices.ts'),
  [join(IO, 'load-targets.ts')]: join(SHIMS, 'load-targets.ts'),
  [join(IO, 'safe-path.ts')]: join(SHIMS, 'safe-path.ts'),
  // the formula parser (mathjs): the page looks formulas up among the trees the CLI parsed
  [join(ROOT, 'src', 'app', 'formula-parser.ts')]: join(SHIMS, 'formula-parser.ts'),
  // the page needs the prices file's fixed names, not its zod schema (380 KB of script)
  [join(ROOT, 'src', 'schema', 'prices.ts')]: join(ROOT, 'src', 'schema', 'price-constants.ts'),
};
const DECLARATIVE = [join(ROOT, 'src', 'schema') + '/', IO + '/'];
const NODE_SHIMS = {
  'node:path': join(SHIMS, 'path.ts'),
};

const pagePlugin = {
  name: 'carbonpath-page',
  setup(b) {
    // the inventory CSV is parsed by the CLI; its parser (which needs Node's Buffer) stays out
    b.onResolve({ filter: /^csv-parse/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    b.onResolve({ filter: /^node:/ }, (args) =>
      NODE_SHIMS[args.path]
        ? { path: NODE_SHIMS[args.path] }
        : { path: args.path, namespace: 'node-stub' },
    );
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => ({
      contents:
        'module.exports = new Proxy({}, { get: (_, k) => k === "__esModule" ? false : () => ' +
        `{ throw new Error(${JSON.stringify(`${args.path} is not in the explorer page`)}` +
        ' + ": " + String(k)); } });',
      loader: 'js',
    }));
    // src imports name .js files that are .ts on disk; the replaced ones go to their shims
    // schema and io modules only declare (schemas, loaders): one the page never calls is left
    // out with what it imports (zod)
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      const ts = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      if (REPLACED[ts]) return { path: REPLACED[ts] };
      if (DECLARATIVE.some((d) => ts.startsWith(d))) return { path: ts, sideEffects: false };
      return undefined;
    });
  },
};

const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const outfile = join(ROOT, 'dist', 'explore', 'page.js');
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(ROOT, 'src', 'explore', 'page', 'main.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  define: { __CARBONPATH_VERSION__: JSON.stringify(version) },
  plugins: [pagePlugin],
  outfile,
  logLevel: 'warning',
});
