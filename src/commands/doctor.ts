// `shipgate doctor [profile]`: what to run when something does not work (as npm doctor, flutter doctor).
// Each line is ✓ or ✗ with a one-line fix; exit 0 when everything holds, 1 otherwise; --json for machines.
import { checkBrowser } from '../doctor/browser.js';
import type { Finding } from '../doctor/finding.js';
import { checkNodeVersion } from '../doctor/node-version.js';
import type { BrowserUse } from '../gates/contract.js';
import { GATES } from '../gates/registry.js';
import { checkBaseUrl, checkHostResolves, checkStartCommand } from '../doctor/target.js';
import { proxyFor, trustFor, type Trust } from '../http/trust.js';
import { loadProfile } from '../profile/load.js';
import type { Profile } from '../profile/schema.js';

export interface DoctorOptions {
  json?: boolean;
}

async function profileFindings(path: string): Promise<{ findings: Finding[]; profile?: Profile }> {
  let profile: Profile;
  try {
    profile = (await loadProfile(path)).profile;
  } catch (err) {
    const message = String((err as Error)?.message ?? err)
      .split('\n')
      .slice(0, 3)
      .join(' ');
    return {
      findings: [
        {
          id: 'profile',
          ok: false,
          message: `${path} is not a valid profile: ${message}`,
          fix: `run shipgate validate ${path} and correct the field it names`,
        },
      ],
    };
  }
  const baseUrl = new URL(profile.target.baseUrl);
  const findings: Finding[] = [{ id: 'profile', ok: true, message: `${path} is valid: "${profile.name}" → ${baseUrl}` }];
  if (profile.target.start) {
    // shipgate starts this target itself during a run: it need not be up now, but its command must exist.
    findings.push(await checkStartCommand(profile.target.start));
    findings.push({
      id: 'base-url',
      ok: true,
      message: `${baseUrl} is a managed target (target.start): shipgate starts it during a run, so it is not asked now`,
    });
    return { findings, profile };
  }
  let trust: Trust;
  try {
    trust = trustFor(profile.target);
  } catch (err) {
    findings.push({ id: 'tls', ok: false, message: (err as Error).message, fix: 'correct target.tls in the profile' });
    return { findings, profile };
  }
  // Through the proxy, the proxy resolves the name: this machine need not.
  const host = proxyFor(baseUrl, trust.proxy) ? undefined : await checkHostResolves(baseUrl);
  if (host) findings.push(host);
  if (!host || host.ok) findings.push(...(await checkBaseUrl(baseUrl, trust)));
  return { findings, profile };
}

/** The browsers the profile's gates drive, by the executable they name (their manifests say); none needed is a ✓. */
function browsersUsed(profile: Profile): BrowserUse[] {
  const uses = GATES.flatMap((g) => {
    const config = (profile.gates as Record<string, unknown>)[g.id];
    const use = config === undefined ? undefined : g.usesBrowser?.(config);
    return use ? [use] : [];
  });
  return uses.filter((u, i) => uses.findIndex((v) => v.executable === u.executable) === i);
}

/** Without a (valid) profile: the browser shipgate would find. With one: the browsers its gates would drive. */
async function browserFindings(profile: Profile | undefined, progress?: (m: string) => void): Promise<Finding[]> {
  if (!profile) return [await checkBrowser(undefined, progress)];
  const uses = browsersUsed(profile);
  if (uses.length === 0)
    return [{ id: 'browser', ok: true, message: 'no gate of this profile drives a browser: none needed, none launched' }];
  const findings: Finding[] = [];
  for (const use of uses) findings.push(await checkBrowser(use, progress));
  return findings;
}

export async function doctorCommand(profilePath: string | undefined, opts: DoctorOptions = {}): Promise<number> {
  const progress = opts.json ? undefined : (m: string) => process.stderr.write(`  … ${m}\n`);
  const findings: Finding[] = [checkNodeVersion()];
  let profile: Profile | undefined;
  if (profilePath) {
    const r = await profileFindings(profilePath);
    findings.push(...r.findings);
    profile = r.profile;
  }
  findings.push(...(await browserFindings(profile, progress)));
  const ok = findings.every((f) => f.ok);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ ok, checks: findings }, null, 2)}\n`);
  } else {
    for (const f of findings) {
      process.stdout.write(`${f.ok ? '✓' : '✗'} ${f.message}\n`);
      if (!f.ok && f.fix) process.stdout.write(`  fix: ${f.fix}\n`);
    }
    process.stdout.write(
      ok ? 'shipgate doctor: everything holds\n' : `shipgate doctor: ${findings.filter((f) => !f.ok).length} problem(s) found\n`,
    );
  }
  return ok ? 0 : 1;
}
