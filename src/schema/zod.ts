/**
 * zod, as the schemas use it. Each input file is validated once per process, so zod's
 * just-in-time fast path (a parser generated and compiled per object schema on first use) costs
 * more than it saves: off (`jitless`), the same checks and results, ~0.1 s less per CLI call
 * (docs/performance.md, "Start-up").
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
