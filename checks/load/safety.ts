// Safe by construction: load goes only to the profile's own host(s), never to a production target
// without --allow-load, and always within the caps (those are enforced at profile load, in schema.ts).
import { formatDuration } from '../../src/duration.js';
import type { LoadConfig } from './schema.js';

export interface Refusal {
  message: string;
}

/** Host names (lower-case, no port) load may go to: the target's, plus gates.load.allowHosts. */
export function allowedHosts(baseUrl: URL, config: LoadConfig): string[] {
  return [...new Set([baseUrl.hostname, ...config.allowHosts].map(normaliseHost))];
}

function normaliseHost(h: string): string {
  // allowHosts may be written as a URL or with a port; only the host name decides.
  const text = h.trim().toLowerCase();
  try {
    return new URL(text.includes('://') ? text : `http://${text}`).hostname;
  } catch {
    return text;
  }
}

/** Every endpoint's URL must be on an allowed host. */
export function checkHosts(baseUrl: URL, config: LoadConfig, resolve: (target: string) => URL): Refusal | undefined {
  const allowed = allowedHosts(baseUrl, config);
  const outside = config.endpoints
    .map((e) => ({ e, url: resolve(e.target) }))
    .filter(({ url }) => !allowed.includes(url.hostname.toLowerCase()));
  if (outside.length === 0) return undefined;
  const list = outside.map(({ e, url }) => `endpoint "${e.name}" → ${url.host}`).join(', ');
  const hosts = [...new Set(outside.map(({ url }) => url.hostname))];
  return {
    message: `refusing to send load outside the profile's target: ${list}; allowed hosts: ${allowed.join(', ')} (target.baseUrl${config.allowHosts.length ? ' and gates.load.allowHosts' : ''}). If that load is intended, add ${hosts.map((h) => JSON.stringify(h)).join(', ')} to gates.load.allowHosts`,
  };
}

/** A production target takes load only when the person running shipgate says so on the command line. */
export function checkProduction(production: boolean, allowLoad: boolean): Refusal | undefined {
  if (!production || allowLoad) return undefined;
  return {
    message:
      'refusing to send load to a production target (target.production: true) without --allow-load; pass --allow-load if this load is planned, or leave the load gate out with --gates',
  };
}

/** The planned load must fit inside the gate's deadline, or it would be cut off and judged on half the data. */
export function checkDeadline(config: LoadConfig, msLeft: number): Refusal | undefined {
  // Room for autocannon to start and stop, and for judging.
  const baseline = config.concurrency.baseline;
  const needed = config.warmup + baseline + config.duration + 2_000;
  if (needed <= msLeft) return undefined;
  return {
    message: `the load needs about ${formatDuration(needed)} (warm-up ${formatDuration(config.warmup)}${baseline ? ` + baseline ${formatDuration(baseline)}` : ''} + duration ${formatDuration(config.duration)} + 2s) but the gate has ${formatDuration(Math.max(0, msLeft))} left before its deadline; raise timeouts.gate or shorten gates.load.duration`,
  };
}

/** One line for the evidence of a load that stayed inside its caps. */
export function describeCaps(config: LoadConfig, totalConnections: number): string {
  return `warm-up + duration ${formatDuration(config.warmup + config.duration)} ≤ cap ${formatDuration(config.maxDuration)}, ${totalConnections} connection${totalConnections > 1 ? 's' : ''} ≤ cap ${config.maxConnections}`;
}
