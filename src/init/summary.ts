// The few lines `shipgate init` prints: what it found, what it flagged, what is left TODO.
import { formatDuration } from '../duration.js';
import { SAMPLE_ORIGIN } from './cors.js';
import type { Findings } from './discover.js';

type Mark = 'found' | 'missing' | 'problem';
const SYMBOL: Record<Mark, string> = { found: '✓', missing: '-', problem: '✗' };

export function summaryLines(f: Findings, todos: string[]): string[] {
  const rows: [Mark, string, string][] = [];
  const { liveness, readiness } = f.health;
  rows.push(liveness ? ['found', 'liveness', `GET ${liveness.path} → ${liveness.status} ${liveness.contentType} (${formatDuration(liveness.durationMs)})`] : ['missing', 'liveness', 'no health endpoint answered']);
  if (readiness && readiness.path !== liveness?.path) rows.push([readiness.status === 503 ? 'problem' : 'found', 'readiness', `GET ${readiness.path} → ${readiness.status} ${readiness.contentType}`]);
  else rows.push(['missing', 'readiness', 'no readiness endpoint answered']);
  if (f.headers) {
    const weak = !['A+', 'A', 'A-', 'B+', 'B'].includes(f.headers.grade);
    rows.push([weak || f.headers.leaks.length ? 'problem' : 'found', 'headers', `grade ${f.headers.grade} (score ${f.headers.score}) on ${f.headers.path}${f.headers.penalties.length ? `; lost points: ${f.headers.penalties.map((p) => p.split(' (')[0]).join(', ')}` : ''}${f.headers.leaks.length ? `; version leak: ${f.headers.leaks.join(', ')}` : ''}`]);
  }
  const c = f.cors;
  if (c) {
    const text =
      c.behaviour === 'reflects' ? `reflects any origin (${SAMPLE_ORIGIN} granted${c.credentialsForSample ? ', with credentials' : ''})`
      : c.behaviour === 'wildcard' ? `Access-Control-Allow-Origin: *${c.credentialsForSample ? ' with credentials' : ''}`
      : c.behaviour === 'refused' ? `${SAMPLE_ORIGIN} refused on ${c.path}${c.allowed.length ? `; allowed: ${c.allowed.map((a) => a.origin).join(', ')}` : ''}`
      : `${SAMPLE_ORIGIN} on ${c.path}: ${c.acao ?? 'no answer'}`;
    rows.push([c.behaviour === 'reflects' || (c.behaviour === 'wildcard' && c.credentialsForSample) ? 'problem' : 'found', 'CORS', text]);
  }
  const l = f.login;
  if (l.login) {
    const parts = [`POST ${l.login.path} → ${l.login.status}`];
    if (l.refresh) parts.push(`refresh ${l.refresh.path}`);
    if (l.logout) parts.push(`logout ${l.logout.path}`);
    if (l.protectedRoute) parts.push(`protected ${l.protectedRoute.path}`);
    if (l.loggedIn) parts.push(l.loggedIn.tokenPath ? `token at ${l.loggedIn.tokenPath}` : `login with the environment's credentials: ${l.loggedIn.failure}`);
    rows.push(['found', 'login', parts.join('; ')]);
  } else rows.push(['missing', 'login', l.note ?? 'no login endpoint answered']);
  const st = f.realtime.streams[0];
  rows.push(st ? ['found', 'realtime', `${st.kind === 'sse' ? 'SSE' : 'WebSocket'} ${st.url} (from ${st.script} on ${st.page})${st.confirmed ? '' : `, not confirmed: ${st.note}`}`] : ['missing', 'realtime', `no EventSource/WebSocket in the scripts of ${f.realtime.pages.length} page(s)`]);
  const lines = rows.map(([mark, label, text]) => `  ${SYMBOL[mark]} ${label.padEnd(10)} ${text}`);
  if (todos.length) lines.push(`  TODO (${todos.length}):`, ...todos.map((t) => `    - ${t}`));
  return lines;
}
