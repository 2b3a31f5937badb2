/// <reference lib="dom" />
/**
 * The explorer page's script. In the page it reads the embedded data and starts the UI; run as
 * the page's Web Worker (built from this same script's text) it answers Monte Carlo requests.
 */
import type { ScenarioFile } from '../../schema/scenario.js';
import type { ExplorerData } from '../data.js';
import { makeEngine, messageOf, type Engine } from './engine.js';
import { startUi } from './ui.js';

interface WorkerScope {
  onmessage: ((e: { data: McRequest }) => void) | null;
  postMessage(m: unknown): void;
}

export interface McRequest {
  data?: ExplorerData;
  token?: number;
  index?: number;
  scenario?: ScenarioFile;
}

if (typeof document === 'undefined') {
  const scope = self as unknown as WorkerScope;
  let engine: Engine | undefined;
  scope.onmessage = (e) => {
    const m = e.data;
    if (m.data) {
      engine = makeEngine(m.data);
      return;
    }
    const t0 = performance.now();
    engine!
      .simulate(m.index!, m.scenario!)
      .then(({ probabilities, bands }) =>
        scope.postMessage({ token: m.token, probabilities, bands, ms: performance.now() - t0 }),
      )
      .catch((err: unknown) => scope.postMessage({ token: m.token, error: messageOf(err) }));
  };
} else {
  const text = document.getElementById('cp-data')!.textContent!;
  startUi(JSON.parse(text) as ExplorerData, document.getElementById('cp-engine')!.textContent!);
}
