// The registry of gates, in plan order. Adding a gate is adding a folder under checks/ and a line here.
import type { GateEntry } from './gate.js';
import { buildSchema } from '../checks/build/schema.js';
import { probesSchema } from '../checks/probes/schema.js';

export const GATES: GateEntry[] = [
  {
    id: 'build',
    title: 'Build',
    description: 'Build steps and artifact budgets; with target.start, the app started by shipgate, fail-fast config and graceful shutdown',
    phase: 0,
    schema: buildSchema,
    load: async () => (await import('../checks/build/index.js')).gate,
  },
  {
    id: 'probes',
    title: 'Health/ready probes',
    description: 'Liveness and readiness endpoints answer correctly, fast and without flapping',
    phase: 1,
    schema: probesSchema,
    load: async () => (await import('../checks/probes/index.js')).gate,
  },
];

export const GATE_IDS = GATES.map((g) => g.id);

export function gateEntry(id: string): GateEntry | undefined {
  return GATES.find((g) => g.id === id);
}
