#!/usr/bin/env node
import { settleWritesOnSignals } from '../io/atomic-write.js';
import { main } from './main.js';

// SIGINT/SIGTERM while outputs are being written: finish or undo the write, then exit 130/143.
settleWritesOnSignals();

// `carbonpath … | head` closes stdout early: stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE')
    process.exit(process.exitCode === undefined ? 0 : Number(process.exitCode));
  throw e;
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
