import { dirname, join, relative, resolve, sep } from 'node:path';
import { PACKAGE_ROOT } from '../io/package-root.js';

/**
 * The comment that gives a YAML file its JSON Schema in editors (VS Code's YAML extension and
 * every other yaml-language-server client): a path from the file to the schema this carbonpath
 * ships (`schema/` in a clone, `node_modules/carbonpath/schema/` in an npm install).
 */
export function schemaModeline(
  file: string,
  kind: 'scenario' | 'organization' | 'targets' | 'prices',
): string {
  const schema = join(PACKAGE_ROOT, 'schema', `${kind}.schema.json`);
  const path = relative(dirname(resolve(file)), schema)
    .split(sep)
    .join('/');
  return `# yaml-language-server: $schema=${path}\n`;
}
