#!/usr/bin/env node
import module from 'node:module';

// V8's compile cache (Node ≥ 22.1; NODE_COMPILE_CACHE / NODE_DISABLE_COMPILE_CACHE apply): the
// next call starts from compiled code. Enabled before the rest of the CLI is imported, so that
// it covers it; Node 20 has no such cache and starts as before.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // what commander prints for it, without loading commander and building the command table
  const { TOOL_VERSION } = await import('../io/package-root.js');
  process.stdout.write(`${TOOL_VERSION}\n`);
} else {
  const { settleWritesOnSignals } = await import('../io/atomic-write.js');
  const { main } = await import('./main.js');

  // SIGINT/SIGTERM while outputs are being written: finish or undo the write, then exit 130/143.
  settleWritesOnSignals();

  // `carbonpath … | head` closes stdout early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE')
      process.exit(process.exitCode === undefined ? 0 : Number(process.exitCode));
    throw e;
  });

  process.exitCode = await main(process.argv);
}
