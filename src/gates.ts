// The registry of gates, in plan order. Adding a gate is adding a folder under checks/ and a line here.
import type { GateEntry } from './gate.js';
import { probesSchema } from '../checks/probes/schema.js';
import { realtimeSchema } from '../checks/realtime/schema.js';

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
    id: 'realtime',
    title: 'Real-time sync',
    description: 'A change in one browser context (or stream subscriber) appears in a second, independent one; propagation latency p50/p95 over several rounds',
    phase: 2,
    schema: realtimeSchema,
    load: async () => (await import('../checks/realtime/index.js')).gate,
  },
];

export const GATE_IDS = GATES.map((g) => g.id);

export function gateEntry(id: string): GateEntry | undefined {
  return GATES.find((g) => g.id === id);
}
