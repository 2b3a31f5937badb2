// carbonpath as a library: project two bundled scenarios, check the targets, price the credits.
import { evaluateTargets, offsets, project } from 'carbonpath';

const projection = await project({ scenarios: ['baseline', 'announced'], to: 2035 });
for (const { scenario, results } of evaluateTargets(projection)) {
  const offTrack = results.filter((r) => r.status === 'off-track').map((r) => r.targetId);
  console.log(`${scenario}: ${offTrack.length} target(s) off track ${offTrack.join(' ')}`.trim());
}
for (const { scenario, offsets: o } of offsets(projection)) {
  if (o) console.log(`${scenario}: FY${o.summary.year} credits ${Math.round(o.summary.tonnes)} t`);
}
