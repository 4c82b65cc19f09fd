import { loadProfile } from '../profile/load.js';
import { executeRun, interruptSignal, type ExecuteOptions } from './execute.js';

export async function runCommand(profilePath: string, opts: ExecuteOptions): Promise<number> {
  const loaded = await loadProfile(profilePath);
  const interrupt = interruptSignal();
  try {
    return (await executeRun(loaded, opts, interrupt.signal)).exitCode;
  } finally {
    interrupt.dispose();
  }
}
