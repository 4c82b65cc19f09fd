// The realtime gate as data, for the registry: see src/gates/contract.ts.
import { defineGate } from '../../src/gates/contract.js';
import { catalogue } from './catalogue.js';
import { realtimeSchema, type RealtimeConfig } from './schema.js';

export const realtime = defineGate<RealtimeConfig>({
  id: 'realtime',
  title: 'Real-time sync',
  description:
    'A change in one browser context (or stream subscriber) appears in a second, independent one; propagation latency p50/p95 over several rounds',
  phase: 2,
  schema: realtimeSchema,
  catalogue,
  destructive: 'adds items through the page under test',
  usesBrowser: (config) =>
    config.mode === 'browser' ? { executable: config.browser, setting: 'gates.realtime.browser' } : undefined,
  // Chromium launches at the start of the run, while build and probes run.
  prepares: true,
  load: async () => (await import('./index.js')).gate,
  init: async () => (await import('./init.js')).init,
});
