// Rewrites the bundled organization's equations in docs/methodology.md from the kernel's
// statements (npm run docs:explain, after npm run build); test/declared-model.test.ts checks them.
import { readFileSync, writeFileSync } from 'node:fs';
import { calibrate } from '../dist/core/calibrate.js';
import { compileKernel } from '../dist/core/kernel.js';
import { loadOrganization } from '../dist/io/load-organization.js';

const file = 'docs/methodology.md';
const marker = '<!-- explain:data/alibaba-group';
const doc = readFileSync(file, 'utf8');
const [before, rest] = doc.split(marker);
if (rest === undefined) throw new Error(`${file} has no ${marker} block`);
const [comment] = rest.split('```');
const org = loadOrganization(undefined);
const { equations } = compileKernel(calibrate(org.organization, org.inventory));
const block = '```\n' + equations.join('\n') + '\n```';
writeFileSync(file, before + marker + comment + block + rest.split('```').slice(2).join('```'));
