// `shipgate demo`: run profiles/demo.yaml, whose target.start makes shipgate start the built-in reference
// target as its own process (dist/src/demo/main.js) on a free 127.0.0.1 port, run the gates, prove it
// shuts down gracefully, and stop it. Exits with the run's exit code.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { checkFlaws } from '../demo/server.js';
import { demoCertificates, impliesTls } from '../demo/tls.js';
import type { Profile } from '../profile/schema.js';
import { packageRoot } from '../paths.js';
import { loadProfile } from '../profile/load.js';
import { freePort } from '../target/managed-target.js';
import { executeRun, interruptSignal, type ExecuteOptions } from './execute.js';

export const DEMO_PROFILE = join(packageRoot, 'profiles', 'demo.yaml');
export const DEMO_ENTRY = join(packageRoot, 'dist', 'src', 'demo', 'main.js');

/** What profiles/demo.yaml interpolates: where the demo listens, how to start it, and its flaws. */
export async function demoEnv(flaws: string[] = []): Promise<NodeJS.ProcessEnv> {
  const port = await freePort();
  return {
    SHIPGATE_DEMO_URL: `http://127.0.0.1:${port}`,
    SHIPGATE_DEMO_PORT: String(port),
    SHIPGATE_DEMO_FLAWS: flaws.join(','),
    SHIPGATE_DEMO_ENTRY: DEMO_ENTRY,
    SHIPGATE_DEMO_ROOT: packageRoot,
    SHIPGATE_NODE: process.execPath,
    // A fresh secret each run; the profile reads it as ${secret:…}, so it is redacted everywhere.
    DEMO_SESSION_SECRET: randomBytes(24).toString('base64url'),
  };
}

export async function demoCommand(opts: ExecuteOptions & { flaws?: string[]; tls?: boolean }): Promise<number> {
  const flaws = opts.flaws ?? [];
  checkFlaws(flaws);
  const env = await demoEnv(flaws);
  const tls = opts.tls || impliesTls(flaws) ? await withTls(env, flaws) : undefined;
  const interrupt = interruptSignal();
  try {
    process.stderr.write(
      `shipgate: starting the demo target on ${env.SHIPGATE_DEMO_URL}${flaws.length ? ` with flaws: ${flaws.join(', ')}` : ''}\n`,
    );
    const loaded = await loadProfile(DEMO_PROFILE, { ...process.env, ...env });
    if (tls) tls.apply(loaded.profile);
    return (await executeRun(loaded, opts, interrupt.signal)).exitCode;
  } finally {
    interrupt.dispose();
    tls?.ca.remove();
  }
}

/**
 * --tls: a throwaway CA made now signs the demo's certificate; the run trusts that CA (target.tls.ca), and the
 * security gate probes the demo's plain-http port for the redirect to https.
 */
async function withTls(env: NodeJS.ProcessEnv, flaws: string[]) {
  const { ca, leaf } = demoCertificates(flaws);
  const httpPort = await freePort();
  env.SHIPGATE_DEMO_URL = env.SHIPGATE_DEMO_URL!.replace(/^http:/, 'https:');
  return {
    ca,
    apply(profile: Profile) {
      profile.target.tls = { ca: ca.certPath, insecure: false };
      const start = profile.target.start;
      if (start)
        start.env = {
          ...start.env,
          SHIPGATE_DEMO_TLS_CERT: leaf.certPath,
          SHIPGATE_DEMO_TLS_KEY: leaf.keyPath,
          SHIPGATE_DEMO_HTTP_PORT: String(httpPort),
        };
      const security = (profile.gates as Record<string, { httpsRedirect?: { from?: string } } | undefined>).security;
      if (security) security.httpsRedirect = { from: `http://127.0.0.1:${httpPort}` };
    },
  };
}
