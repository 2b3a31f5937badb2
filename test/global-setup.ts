import { execFileSync } from 'node:child_process';

/**
 * CLI end-to-end tests spawn the built binary: build it once, fresh, before any test — tsc, then
 * the bundled command line that ships (scripts/bundle-cli.mjs) and the bundled YAML files as it
 * parsed them (scripts/parsed-inputs.mjs).
 */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  execFileSync(process.execPath, ['scripts/bundle-cli.mjs'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/parsed-inputs.mjs'], { stdio: 'inherit' });
}
