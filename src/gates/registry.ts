// The registry of gates, in plan order. Adding a gate is adding a folder under checks/ and a line here.
import type { GateEntry } from './contract.js';
import { authSchema } from '../../checks/auth/schema.js';
import { catalogue as authCatalogue } from '../../checks/auth/catalogue.js';
import { buildSchema } from '../../checks/build/schema.js';
import { catalogue as buildCatalogue } from '../../checks/build/catalogue.js';
import { probesSchema } from '../../checks/probes/schema.js';
import { loadSchema } from '../../checks/load/schema.js';
import { catalogue as loadCatalogue } from '../../checks/load/catalogue.js';
import { catalogue as probesCatalogue } from '../../checks/probes/catalogue.js';
import { securitySchema } from '../../checks/security/schema.js';
import { catalogue as securityCatalogue } from '../../checks/security/catalogue.js';
import { realtimeSchema } from '../../checks/realtime/schema.js';
import { catalogue as realtimeCatalogue } from '../../checks/realtime/catalogue.js';

export const GATES: GateEntry[] = [
  {
    id: 'build',
    title: 'Build',
    description: 'Build steps and artifact budgets; with target.start, the app started by shipgate, fail-fast config and graceful shutdown',
    phase: 0,
    schema: buildSchema,
    catalogue: buildCatalogue,
    load: async () => (await import('../../checks/build/index.js')).gate,
  },
  {
    id: 'probes',
    title: 'Health/ready probes',
    description: 'Liveness and readiness endpoints answer correctly, fast and without flapping',
    phase: 1,
    schema: probesSchema,
    catalogue: probesCatalogue,
    load: async () => (await import('../../checks/probes/index.js')).gate,
  },
  {
    id: 'security',
    title: 'Security: CORS, headers, cookies, errors',
    description: 'CORS allows exactly the configured origins; security headers graded like the MDN HTTP Observatory; cookie flags; JSON errors without stack traces, with request ids',
    phase: 2,
    schema: securitySchema,
    catalogue: securityCatalogue,
    load: async () => (await import('../../checks/security/index.js')).gate,
  },
  {
    id: 'auth',
    title: 'Auth refresh flow',
    description: 'Login, short-lived access token, protected route, rotating httpOnly refresh cookie with reuse detection, logout, login rate limit',
    phase: 2,
    schema: authSchema,
    catalogue: authCatalogue,
    destructive: 'logs in and sends a burst of failed logins',
    load: async () => (await import('../../checks/auth/index.js')).gate,
  },
  {
    id: 'load',
    title: 'Load thresholds',
    description: 'autocannon drives the configured endpoints; thresholds such as p95 < 200ms, errors < 1% and rps > 500 decide; capped in duration, connections and hosts',
    phase: 3,
    schema: loadSchema,
    catalogue: loadCatalogue,
    destructive: 'sends load to the target',
    load: async () => (await import('../../checks/load/index.js')).gate,
  },
  {
    id: 'realtime',
    title: 'Real-time sync',
    description: 'A change in one browser context (or stream subscriber) appears in a second, independent one; propagation latency p50/p95 over several rounds',
    phase: 2,
    schema: realtimeSchema,
    catalogue: realtimeCatalogue,
    destructive: 'adds items through the page under test',
    prepares: true,
    load: async () => (await import('../../checks/realtime/index.js')).gate,
  },
];

export const GATE_IDS = GATES.map((g) => g.id);

export function gateEntry(id: string): GateEntry | undefined {
  return GATES.find((g) => g.id === id);
}
