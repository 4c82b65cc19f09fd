// `shipgate demo`: start the built-in reference target on an ephemeral 127.0.0.1 port,
// run profiles/demo.yaml against it, stop it, exit with the run's exit code.
import { join } from 'node:path';
import { startDemoServer } from '../demo/server.js';
import { packageRoot } from '../paths.js';
import { loadProfile } from '../profile/load.js';
import { executeRun, interruptSignal, type ExecuteOptions } from './execute.js';

export const DEMO_PROFILE = join(packageRoot, 'profiles', 'demo.yaml');

export async function demoCommand(opts: ExecuteOptions & { flaws?: string[] }): Promise<number> {
  const demo = await startDemoServer({ flaws: opts.flaws });
  const interrupt = interruptSignal();
  try {
    process.stderr.write(`shipgate: demo target listening on ${demo.url}${opts.flaws?.length ? ` with flaws: ${opts.flaws.join(', ')}` : ''}\n`);
    const loaded = await loadProfile(DEMO_PROFILE, { ...process.env, SHIPGATE_DEMO_URL: demo.url });
    return (await executeRun(loaded, opts, interrupt.signal)).exitCode;
  } finally {
    interrupt.dispose();
    await demo.close();
  }
}
