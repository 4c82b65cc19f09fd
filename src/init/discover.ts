// `shipgate init`'s look at a running deployment: what answers where, in one value the profile writer
// and the summary read. The core asks for the home page and what unknown paths answer; each gate's init
// hook (its manifest) looks for its own things. Nothing here writes data: GET, OPTIONS, and POSTs of `{}`
// or malformed JSON.
import type { Trust } from '../http/trust.js';
import { GATES } from '../gates/registry.js';
import { probeCatchAll, type CatchAll } from './catch-all.js';
import type { ErrorShape, InitHook, SiteFacts } from './hook.js';
import { mediaType, parseJson, Prober, type Answer } from './prober.js';

export type { ErrorShape };

export interface Findings {
  baseUrl: string;
  https: boolean;
  home: { status?: number; contentType: string; error?: string };
  catchAll: { spaFallback: boolean; errors: ErrorShape };
  facts: SiteFacts;
  /** What each gate's init hook found, by gate id. */
  gates: Record<string, unknown>;
  /** Requests init sent. */
  requests: number;
}

export class UnreachableError extends Error {
  override name = 'UnreachableError';
  /** How the target could not be reached: refused, dns, tls, timeout or reset. */
  constructor(
    message: string,
    readonly kind?: string,
  ) {
    super(message);
  }
}

export interface DiscoverOptions {
  signal: AbortSignal;
  timeoutMs?: number;
  /** Where hooks read what they may use (a test account); none unless given. */
  env?: NodeJS.ProcessEnv;
  progress?: (message: string) => void;
  /** How every probe reaches the target (HTTP and WebSocket alike); default: system roots, proxies from the environment. */
  trust?: Trust;
}

/** Every gate's init hook, in registry order. */
export async function initHooks(): Promise<{ id: string; hook: InitHook }[]> {
  const hooks = await Promise.all(GATES.map(async (g) => ({ id: g.id, hook: await g.init?.() })));
  return hooks.filter((h): h is { id: string; hook: InitHook } => h.hook !== undefined);
}

function errorShape(c: CatchAll): ErrorShape {
  const res = c.get.res;
  const json = res ? parseJson(res.body) : undefined;
  return {
    status: res?.status,
    contentType: mediaType(res),
    keys: json && typeof json === 'object' && !Array.isArray(json) ? Object.keys(json) : [],
  };
}

export async function discover(target: URL, opts: DiscoverOptions): Promise<Findings> {
  const p = new Prober(target, opts.signal, opts.timeoutMs, opts.trust);
  const progress = opts.progress ?? (() => {});
  const hooks = await initHooks();
  try {
    progress(`GET ${target.origin}/`);
    const home: Answer = await p.send({
      path: '/',
      headers: { accept: 'text/html, application/json;q=0.9, */*;q=0.5' },
      maxRedirects: 3,
    });
    if (!home.res && ['refused', 'dns', 'tls', 'timeout', 'reset'].includes(home.kind ?? ''))
      throw new UnreachableError(`cannot reach ${target.origin}: ${home.error}`, home.kind);
    const catchAll = await probeCatchAll(p);
    const facts: SiteFacts = {};
    const gates: Record<string, unknown> = {};
    // In registry order, one after another: a later hook may use what an earlier one left in facts.
    for (const { id, hook } of hooks) {
      if (hook.discover)
        gates[id] = await hook.discover({ target, prober: p, home, catchAll, env: opts.env ?? {}, facts, progress });
    }
    return {
      baseUrl: target.pathname === '/' ? target.origin : target.href.replace(/\/$/, ''),
      https: target.protocol === 'https:',
      home: { status: home.res?.status, contentType: mediaType(home.res), error: home.error },
      catchAll: { spaFallback: catchAll.getIs2xx, errors: errorShape(catchAll) },
      facts,
      gates,
      requests: p.sent,
    };
  } finally {
    await p.close();
  }
}
