// The registry of gates, in plan order. Adding a gate is adding a folder under checks/ and a line here.
import type { GateEntry } from './gate.js';
import { probesSchema } from '../checks/probes/schema.js';
import { loadSchema } from '../checks/load/schema.js';

export const GATES: GateEntry[] = [
  {
    id: 'probes',
    title: 'Health/ready probes',
    description: 'Liveness and readiness endpoints answer correctly, fast and without flapping',
    phase: 1,
    schema: probesSchema,
    load: async () => (await import('../checks/probes/index.js')).gate,
  },
  {
    id: 'load',
    title: 'Load thresholds',
    description: 'autocannon drives the configured endpoints; thresholds such as p95 < 200ms, errors < 1% and rps > 500 decide; capped in duration, connections and hosts',
    phase: 3,
    schema: loadSchema,
    load: async () => (await import('../checks/load/index.js')).gate,
  },
];

export const GATE_IDS = GATES.map((g) => g.id);

export function gateEntry(id: string): GateEntry | undefined {
  return GATES.find((g) => g.id === id);
}
