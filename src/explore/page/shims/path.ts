/** node:path for the page: POSIX joins of the file names the CLI embedded (no file is read). */
const norm = (parts: string[]): string => {
  const out: string[] = [];
  for (const p of parts.join('/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return (parts[0]?.startsWith('/') ? '/' : '') + out.join('/');
};
export const sep = '/';
export const join = (...parts: string[]): string => norm(parts);
export const resolve = (...parts: string[]): string => {
  const from = parts.reduce((acc, p) => (p.startsWith('/') ? p : `${acc}/${p}`), '/');
  return norm([from]);
};
export const dirname = (p: string): string => {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (p.startsWith('/') ? '/' : '.') : p.slice(0, i);
};
export const basename = (p: string, ext?: string): string => {
  const b = p.slice(p.lastIndexOf('/') + 1);
  return ext && b.endsWith(ext) ? b.slice(0, -ext.length) : b;
};
export const extname = (p: string): string => {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  return i <= 0 ? '' : b.slice(i);
};
export const isAbsolute = (p: string): boolean => p.startsWith('/');
export const relative = (from: string, to: string): string =>
  to.startsWith(`${from}/`) ? to.slice(from.length + 1) : to;
export default { sep, join, resolve, dirname, basename, extname, isAbsolute, relative };
