// The registry: every gate's manifest, in plan order. Adding a gate is adding a folder under checks/ and a
// line here; nothing else in the core names a gate.
import { auth } from '../../checks/auth/manifest.js';
import { build } from '../../checks/build/manifest.js';
import { load } from '../../checks/load/manifest.js';
import { probes } from '../../checks/probes/manifest.js';
import { realtime } from '../../checks/realtime/manifest.js';
import { security } from '../../checks/security/manifest.js';
import type { GateManifest } from './contract.js';

export const GATES: GateManifest[] = [build, probes, security, auth, load, realtime];

export const GATE_IDS = GATES.map((g) => g.id);

export function gateEntry(id: string): GateManifest | undefined {
  return GATES.find((g) => g.id === id);
}
