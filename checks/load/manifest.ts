// The load gate as data, for the registry: see src/gates/contract.ts.
import { defineGate } from '../../src/gates/contract.js';
import { catalogue } from './catalogue.js';
import { loadSchema, type LoadConfig } from './schema.js';

export const load = defineGate<LoadConfig>({
  id: 'load',
  title: 'Load thresholds',
  description:
    'autocannon drives the configured endpoints; thresholds such as p95 < 200ms, errors < 1% and rps > 500 decide; capped in duration, connections and hosts',
  phase: 3,
  schema: loadSchema,
  catalogue,
  destructive: 'sends load to the target',
  load: async () => (await import('./index.js')).gate,
  init: async () => (await import('./init.js')).init,
  exports: { k6: async () => (await import('./export-k6.js')).exportK6 },
});
