/**
 * Worker thread: rebuilds the same plan from the same files, runs its chunks, posts a partial.
 * It draws exactly the numbers the main thread would (the generator is keyed on path index).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTargets } from '../io/load-targets.js';
import { loadOrganization } from '../io/load-organization.js';
import { loadScenario } from '../io/load-scenario.js';
import { runChunks } from './montecarlo.js';
import { runLoaded } from './project.js';
import { buildPlan } from './simulate.js';

interface Job {
  rebuild: { scenario: string; data?: string; to: number; basis?: string };
  seed: number;
  samples: number;
  chunks: number[];
  lo: Float64Array;
  hi: Float64Array;
  atoms: Float64Array;
}

async function work(job: Job): Promise<void> {
  const org = loadOrganization(job.rebuild.data, job.rebuild.basis);
  const run = await runLoaded(loadScenario(job.rebuild.scenario), org, job.rebuild.to);
  const plan = buildPlan(run, org, loadTargets(org.folder));
  let pending = 0;
  const part = runChunks(
    plan,
    { lo: job.lo, hi: job.hi, atoms: job.atoms },
    job.seed,
    job.samples,
    job.chunks,
    (n) => {
      pending += n;
      if (pending >= 8192) {
        parentPort!.postMessage({ progress: pending });
        pending = 0;
      }
    },
  );
  const chunkSums = [...part.chunkSums.entries()];
  parentPort!.postMessage({ partial: { ...part, chunkSums } }, [
    part.counts.buffer as ArrayBuffer,
    ...chunkSums.map(([, v]) => v.buffer as ArrayBuffer),
  ]);
}

work(workerData as Job).catch((e: unknown) =>
  parentPort!.postMessage({ error: (e as Error).message }),
);
