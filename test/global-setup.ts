import { execFileSync } from 'node:child_process';

/** CLI end-to-end tests spawn the built binary: build it once, fresh, before any test. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
