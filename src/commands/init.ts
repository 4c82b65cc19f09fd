// `shipgate init <url>`: probe a running deployment and write a commented starter profile.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { discover, initHooks, UnreachableError } from '../init/discover.js';
import { schemaRef } from '../init/schema-ref.js';
import { renderProfile } from '../init/render.js';
import { summaryLines } from '../init/summary.js';
import { packageRoot } from '../paths.js';
import { trustFor, TrustError } from '../http/trust.js';
import { parseProfile } from '../profile/load.js';
import { UsageError } from '../runner/plan.js';
import { interruptSignal } from './execute.js';

const PACKAGE_NAME = 'shipgate';

export interface InitOptions {
  output?: string;
  force?: boolean;
  /** Per-request deadline while probing. */
  timeoutMs?: number;
  quiet?: boolean;
  /** CA certificate files to trust besides the system roots (--ca); written as target.tls.ca. */
  ca?: string[];
  /** --insecure: no certificate check; written as target.tls.insecure. */
  insecure?: boolean;
}

/** "staging-example" for https://staging.example.com, "local" for a loopback or IP target. */
export function profileNameFor(url: URL): string {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || isIP(host)) return 'local';
  const labels = host.replace(/^www\./, '').split('.');
  const name = (labels.length > 1 ? labels.slice(0, -1) : labels)
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  return /^[a-z]/.test(name) ? name : `target-${name}`;
}

function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `${JSON.stringify(raw)} is not a URL; give the deployment's address, e.g. https://staging.example.com or http://127.0.0.1:3000`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${raw}: expected an http(s) URL, e.g. https://staging.example.com`);
  if (url.username || url.password)
    throw new UsageError(`${url.origin}: leave credentials out of the URL; init never writes them into a profile`);
  url.search = '';
  url.hash = '';
  return url;
}

/** The trust init probes with, as the profile it writes will carry it; an unreadable --ca is a usage error. */
function initTrust(tls: { ca?: string[]; insecure: boolean } | undefined) {
  try {
    return trustFor({ tls });
  } catch (err) {
    if (err instanceof TrustError) throw new UsageError(`--ca: ${err.message}`);
    throw err;
  }
}

export async function initCommand(rawUrl: string, opts: InitOptions = {}): Promise<number> {
  const url = parseTarget(rawUrl);
  const out = opts.output ?? join('profiles', `${profileNameFor(url)}.yaml`);
  // Refuse before any traffic: nothing is probed for a file that would not be written.
  if (existsSync(out) && !opts.force)
    throw new UsageError(`${out} already exists; pass --force to overwrite it, or -o PATH to write somewhere else`);
  const name = opts.output
    ? basename(out, extname(out)).replace(/[^A-Za-z0-9_-]+/g, '-') || profileNameFor(url)
    : profileNameFor(url);
  // The same trust the run will use: the profile init writes carries these settings.
  const tls =
    opts.ca?.length || opts.insecure
      ? { ca: opts.ca?.length ? opts.ca : undefined, insecure: Boolean(opts.insecure) }
      : undefined;
  const trust = initTrust(tls);
  // What the gates' discovery does beyond safe requests (e.g. logging in once with a test account).
  const announced = (await initHooks()).map(({ hook }) => hook.announce?.(process.env)).filter(Boolean);

  const interrupt = interruptSignal();
  try {
    const say = (m: string) => {
      if (!opts.quiet) process.stderr.write(`shipgate init: ${m}\n`);
    };
    say(
      `probing ${url.origin} (GET, OPTIONS and POSTs of an empty JSON body only; nothing is written${announced.map((a) => `; ${a}`).join('')})`,
    );
    const findings = await discover(url, {
      signal: interrupt.signal,
      timeoutMs: opts.timeoutMs,
      env: process.env,
      trust,
      progress: (m) => say(`… ${m}`),
    });
    const schema = schemaRef(dirname(resolve(out)), packageRoot, PACKAGE_NAME);
    const { text, todos, summary, next, variables } = await renderProfile(findings, {
      name,
      schemaRef: schema.ref,
      date: new Date().toISOString().slice(0, 10),
      tls,
    });
    // The profile must load as written (with stand-ins for its variables); anything else is a bug in init.
    try {
      parseProfile(text, out, variables);
    } catch (err) {
      throw new Error(`init produced a profile that does not load (a bug in shipgate init):\n${(err as Error).message}`);
    }
    await mkdir(dirname(resolve(out)), { recursive: true });
    await writeFile(out, text, { flag: opts.force ? 'w' : 'wx' });
    if (!opts.quiet) {
      const lines = [
        `shipgate init: ${findings.baseUrl} (${findings.requests} requests)`,
        ...summaryLines(summary, todos),
        '',
        `wrote ${out}; next:`,
      ];
      lines.push(...next);
      lines.push(`  shipgate validate ${out}`, `  shipgate run ${out}`);
      if (schema.note) lines.push(`(editor completion: ${schema.note})`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof UnreachableError)
      throw new UsageError(
        err.kind === 'tls'
          ? `${err.message}; to trust an internal CA pass --ca FILE (or NODE_EXTRA_CA_CERTS). No profile written.`
          : `${err.message}; is the deployment running? No profile written.`,
      );
    if (interrupt.signal.aborted) {
      process.stderr.write('shipgate init: interrupted; no profile written\n');
      return 3;
    }
    if ((err as NodeJS.ErrnoException)?.code === 'EEXIST')
      throw new UsageError(`${out} already exists; pass --force to overwrite it`);
    throw err;
  } finally {
    interrupt.dispose();
  }
}
