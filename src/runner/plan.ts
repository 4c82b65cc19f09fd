// Which gates run, in which order: phases run in sequence, the gates of one phase concurrently.
import { GATES, GATE_IDS } from '../gates/registry.js';
import type { GateManifest } from '../gates/contract.js';
import { UsageError } from '../errors.js';
import type { Profile } from '../profile/schema.js';

export { UsageError } from '../errors.js';

export interface PlanOptions {
  /** --gates: only these. */
  only?: string[];
  /** --suite: the profile's named selection. */
  suite?: string;
}

export function selectGates(profile: Profile, opts: PlanOptions = {}): GateManifest[] {
  const configured = GATES.filter((g) => (profile.gates as Record<string, unknown>)[g.id] !== undefined);
  let selected = configured;
  if (opts.suite) {
    const suites = profile.suites ?? {};
    // Own properties only: --suite toString or __proto__ names no suite, not Object.prototype's members.
    const suite = Object.hasOwn(suites, opts.suite) ? suites[opts.suite] : undefined;
    if (!suite) {
      const names = Object.keys(suites);
      throw new UsageError(
        `no suite "${opts.suite}" in the profile${names.length ? ` (suites: ${names.join(', ')})` : ' (it defines no suites:)'}`,
      );
    }
    if (suite.gates !== 'all') selected = selected.filter((g) => (suite.gates as string[]).includes(g.id));
    // A non-destructive suite never runs a gate that writes data or loads the target, even with "all".
    if (suite.nonDestructive) selected = selected.filter((g) => !g.destructive);
  }
  if (opts.only && opts.only.length) {
    for (const id of opts.only) {
      if (!GATE_IDS.includes(id)) throw new UsageError(`unknown gate "${id}" in --gates; known gates: ${GATE_IDS.join(', ')}`);
      if (!configured.some((g) => g.id === id))
        throw new UsageError(`gate "${id}" is not configured in the profile (add a gates.${id} section)`);
      if (!selected.some((g) => g.id === id)) throw new UsageError(`gate "${id}" is not part of suite "${opts.suite}"`);
    }
    selected = selected.filter((g) => opts.only!.includes(g.id));
  }
  return selected;
}

export function planGates(profile: Profile, opts: PlanOptions | string[] = {}): GateManifest[][] {
  const selected = selectGates(profile, Array.isArray(opts) ? { only: opts } : opts);
  const phases = [...new Set(selected.map((g) => g.phase))].sort((a, b) => a - b);
  return phases.map((p) => selected.filter((g) => g.phase === p));
}
