// Which gates run, in which order: phases run in sequence, the gates of one phase concurrently.
import { GATES, GATE_IDS } from '../gates.js';
import type { GateEntry } from '../gate.js';
import type { Profile } from '../profile/schema.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function planGates(profile: Profile, only?: string[]): GateEntry[][] {
  const configured = GATES.filter((g) => (profile.gates as Record<string, unknown>)[g.id] !== undefined);
  let selected = configured;
  if (only && only.length) {
    for (const id of only) {
      if (!GATE_IDS.includes(id)) throw new UsageError(`unknown gate "${id}" in --gates; known gates: ${GATE_IDS.join(', ')}`);
      if (!configured.some((g) => g.id === id)) throw new UsageError(`gate "${id}" is not configured in the profile (add a gates.${id} section)`);
    }
    selected = configured.filter((g) => only.includes(g.id));
  }
  const phases = [...new Set(selected.map((g) => g.phase))].sort((a, b) => a - b);
  return phases.map((p) => selected.filter((g) => g.phase === p));
}
