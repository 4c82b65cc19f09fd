// The probes gate as data, for the registry: see src/gates/contract.ts.
import { defineGate } from '../../src/gates/contract.js';
import { catalogue } from './catalogue.js';
import { probesSchema, type ProbesConfig } from './schema.js';

export const probes = defineGate<ProbesConfig>({
  id: 'probes',
  title: 'Health/ready probes',
  description: 'Liveness and readiness endpoints answer correctly, fast and without flapping',
  phase: 1,
  schema: probesSchema,
  catalogue,
  // A target whose probes fail is not ready: the later gates are skipped with the reason.
  readiness: { findingsOnly: [] },
  load: async () => (await import('./index.js')).gate,
  init: async () => (await import('./init.js')).init,
});
