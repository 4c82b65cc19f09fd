// The registry of gates, in plan order. Adding a gate is adding a folder under checks/ and a line here.
import type { GateEntry } from './gate.js';
import { authSchema } from '../checks/auth/schema.js';
import { probesSchema } from '../checks/probes/schema.js';

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
    id: 'auth',
    title: 'Auth refresh flow',
    description: 'Login, short-lived access token, protected route, rotating httpOnly refresh cookie with reuse detection, logout, login rate limit',
    phase: 2,
    schema: authSchema,
    load: async () => (await import('../checks/auth/index.js')).gate,
  },
];

export const GATE_IDS = GATES.map((g) => g.id);

export function gateEntry(id: string): GateEntry | undefined {
  return GATES.find((g) => g.id === id);
}
