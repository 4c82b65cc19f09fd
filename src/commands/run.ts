import { loadProfile, type LoadedProfile } from '../profile/load.js';
import { executeMany, executeRun, interruptSignal, type ExecuteOptions } from './execute.js';

export async function runCommand(profilePaths: string[], opts: ExecuteOptions & { parallel?: number }): Promise<number> {
  // Every profile is parsed and validated before any traffic is sent; variables are required only in
  // the sections of the gates this run selects (--gates, --suite).
  const loaded: LoadedProfile[] = [];
  for (const p of profilePaths) loaded.push(await loadProfile(p, process.env, { gates: opts.gates, suite: opts.suite }));
  const interrupt = interruptSignal();
  try {
    if (loaded.length === 1) return (await executeRun(loaded[0], opts, interrupt.signal)).exitCode;
    return (await executeMany(loaded, opts, interrupt.signal)).exitCode;
  } finally {
    interrupt.dispose();
  }
}
