// The build gate as data, for the registry: see src/gates/contract.ts.
import { defineGate } from '../../src/gates/contract.js';
import { catalogue, envExample, failFast, gracefulShutdown, start } from './catalogue.js';
import { buildSchema, type BuildConfig } from './schema.js';

export const build = defineGate<BuildConfig>({
  id: 'build',
  title: 'Build',
  description:
    'Build steps and artifact budgets; with target.start, the app started by shipgate, fail-fast config and graceful shutdown',
  phase: 0,
  schema: buildSchema,
  catalogue,
  // A failed build or start leaves nothing to test; .env.example, fail-fast and shutdown say nothing about that.
  readiness: { findingsOnly: [envExample.id, failFast.id, gracefulShutdown.id] },
  startsTarget: start,
  // steps[].run goes through a shell.
  shellCommands: [{ list: 'steps', command: 'run', env: 'env' }],
  load: async () => (await import('./index.js')).gate,
  init: async () => (await import('./init.js')).init,
});
