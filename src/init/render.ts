// Writes the starter profile: what init found, filled in with a comment saying how it was found; what it
// could not guess, marked TODO (commented out where a guess could do harm). Credentials are always
// ${…} references to the environment, never values. The load gate is never switched on.
import { formatDuration } from '../duration.js';
import type { Findings } from './discover.js';
import type { ProbeFinding } from './health.js';
import { LIVENESS_PATHS } from './health.js';
import { SAMPLE_ORIGIN } from './cors.js';

export interface Rendered {
  text: string;
  /** One short line per TODO left in the profile, for the summary. */
  todos: string[];
}

export interface RenderOptions {
  name: string;
  /** `$schema` reference for editors, relative to the profile's folder. */
  schemaRef: string;
  /** The date init ran, YYYY-MM-DD. */
  date: string;
}

export const USERNAME_VAR = 'SHIPGATE_USERNAME';
export const PASSWORD_VAR = 'SHIPGATE_PASSWORD';

const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

/** A YAML scalar: plain when that is unambiguous, else double-quoted (JSON strings are valid YAML). */
export function q(s: string): string {
  if (/^[A-Za-z_/][A-Za-z0-9_/.-]*$/.test(s) && !RESERVED.test(s)) return s;
  // 'body.status == "ok"' reads better than "body.status == \"ok\"".
  if (s.includes('"') && !s.includes("'") && !/[\u0000-\u001f]/.test(s)) return `'${s}'`;
  return JSON.stringify(s);
}

/** A line with a comment aligned at a column, so a block of them reads as a table. */
function commented(line: string, comment: string, column = 40): string {
  return `${line}${' '.repeat(Math.max(1, column - line.length))}# ${comment}`;
}

const DEFAULT_BUDGET_MS = 500;

/** A latency budget with headroom over what init measured: at least 500 ms, else 3× the answer, rounded up. */
function budgetFor(f: ProbeFinding): number | undefined {
  const ms = Math.ceil((f.durationMs * 3) / 100) * 100;
  return ms > DEFAULT_BUDGET_MS ? ms : undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}

export function renderProfile(f: Findings, opts: RenderOptions): Rendered {
  const out: string[] = [];
  const todos: string[] = [];
  const todo = (summary: string) => todos.push(summary);
  const target = new URL(f.baseUrl);
  const loopback = isLoopback(target.hostname);
  const apiPrefix = f.login.login && /^\/api\b/.test(f.login.login.path) ? '/api' : undefined;

  out.push(
    `# yaml-language-server: $schema=${opts.schemaRef}`,
    `# Starter profile for ${f.baseUrl}, written by \`shipgate init\` on ${opts.date} (${f.requests} requests: GET, OPTIONS, POST of {}).`,
    '# What init found is filled in, with how it found it; what it could not guess is marked TODO. Read it through,',
    '# then: shipgate validate <this file>, and shipgate run <this file>.',
    '# Credentials never go in this file: they come from the environment, and ${secret:…} values are redacted in every output.',
    `name: ${q(opts.name)}`,
    `description: ${q(`Starter profile for ${f.baseUrl} (shipgate init)`)}`,
    'target:',
    `  baseUrl: ${q(f.baseUrl)}`,
  );
  if (loopback) {
    out.push('  # A loopback target. For a production target, production: true makes the load gate refuse to run without --allow-load.', '  production: false');
  } else {
    out.push(
      '  # TODO: init cannot tell production from staging, so it assumes production: the load gate then refuses to',
      '  # run without --allow-load. Set false for a staging target.',
      '  production: true',
    );
    todo('target.production: assumed true (the load gate then refuses to run without --allow-load)');
  }
  out.push('', 'timeouts:', '  request: 10s', '  gate: 3m', '  run: 15m', '', 'gates:');

  // probes
  const { liveness, readiness } = f.health;
  if (liveness) {
    const probe = (key: string, p: ProbeFinding, note: string) => {
      out.push(`    ${key}:`, commented(`      path: ${q(p.path)}`, note));
      if (p.status !== 200) out.push(`      status: ${p.status}`);
      if (p.contentType !== 'application/json') out.push(`      contentType: ${q(p.contentType)}${p.contentType ? '' : '   # it sent no Content-Type'}`);
      if (p.condition) out.push('      conditions:', `        - ${q(p.condition)}`);
      const budget = budgetFor(p);
      if (budget) out.push(commented(`      maxLatency: ${budget}ms`, `init measured ${formatDuration(p.durationMs)}`));
    };
    const answered = (p: ProbeFinding) => `answered ${p.status} ${p.contentType || 'without a content type'} in ${formatDuration(p.durationMs)}`;
    out.push('  probes:');
    probe('liveness', liveness, answered(liveness));
    if (readiness && readiness.path !== liveness.path) {
      if (readiness.status === 503) {
        out.push(`    # ${readiness.path} answered 503 during init${readiness.bodyStatus ? ` (status "${readiness.bodyStatus}")` : ''}: the target was not ready then.`);
        probe('readiness', { ...readiness, status: 200, condition: undefined }, 'TODO: expected to answer 200 once ready');
        todo(`probes.readiness: ${readiness.path} answered 503 during init`);
      } else probe('readiness', readiness, answered(readiness));
    } else {
      out.push('    # TODO: no readiness endpoint answered (tried /readyz, /ready, /health/ready, …); the liveness path stands in.');
      probe('readiness', liveness, 'TODO: your readiness endpoint');
      todo('probes.readiness: no readiness endpoint found; the liveness path stands in');
    }
    out.push(commented('    samples: 3', 'each probe 3 times, to catch flapping'), '    interval: 200ms');
  } else {
    out.push(
      `  # TODO probes: no health endpoint answered (tried ${LIVENESS_PATHS.slice(0, 6).join(', ')}, …). Name yours, then uncomment:`,
      '  # probes:',
      '  #   liveness: { path: /health }',
      '  #   readiness: { path: /ready }',
    );
    todo('probes: no health or readiness endpoint found (section commented out)');
  }

  // security
  const paths = [...new Set([f.home.status !== undefined && f.home.status < 400 ? '/' : undefined, liveness?.path].filter((x): x is string => Boolean(x)))];
  if (paths.length === 0) paths.push('/');
  const cors = f.cors;
  out.push('', '  security:');
  out.push(`    # Headers and CORS are audited on these paths.${f.headers ? ` Init saw grade ${f.headers.grade} (score ${f.headers.score}) on ${f.headers.path}.` : ''}`);
  out.push(`    paths: [${paths.map(q).join(', ')}]`);
  if (f.headers && f.headers.penalties.length) out.push(`    # Points lost on ${f.headers.path}: ${f.headers.penalties.join(', ')}.`);
  if (f.headers && f.headers.leaks.length) out.push(`    # Version leaks on ${f.headers.path}: ${f.headers.leaks.join(', ')} (security.headers.version-leak fails until removed).`);
  out.push('    minGrade: B');
  out.push('    cors:');
  const allowed = cors?.allowed ?? [];
  if (cors?.behaviour === 'reflects') {
    out.push(
      `      # WARNING: init sent Origin: ${SAMPLE_ORIGIN} to ${cors.path} and it was granted (Access-Control-Allow-Origin echoes`,
      `      # any origin${cors.credentialsForSample ? ', with Access-Control-Allow-Credentials: true' : ''}). security.cors.reflect-origin fails until only your front ends are allowed.`,
    );
  } else if (cors?.behaviour === 'wildcard') {
    out.push(`      # ${cors.path} answers Access-Control-Allow-Origin: *${cors.credentialsForSample ? ' with credentials (a browser refuses that; the security gate fails it)' : ' (any site may read public responses)'}.`);
  } else if (cors?.behaviour === 'refused') {
    out.push(`      # Init sent Origin: ${SAMPLE_ORIGIN} to ${cors.path}: refused (no Access-Control-Allow-Origin), as it should be.`);
  } else if (cors) {
    out.push(`      # Init sent Origin: ${SAMPLE_ORIGIN} to ${cors.path}: ${cors.acao ? `Access-Control-Allow-Origin: ${cors.acao}` : 'no answer'}.`);
  }
  if (allowed.length) {
    out.push(commented(`      allowedOrigins: [${allowed.map((a) => q(a.origin)).join(', ')}]`, 'granted during init; TODO: add any other front end'));
    out.push(`      credentials: ${allowed.some((a) => a.credentials)}`);
    todo('security.cors.allowedOrigins: check the list init found');
  } else {
    out.push(
      '      # TODO: the front-end origins that must be allowed, e.g. [https://app.example.com]; every other origin must be refused.',
      '      allowedOrigins: []',
      '      # TODO: true if those origins send cookies or an Authorization header.',
      '      credentials: false',
    );
    todo('security.cors.allowedOrigins: the front-end origins your API serves');
  }
  out.push('    errors:');
  const errs = f.catchAll.errors;
  if (f.catchAll.spaFallback) {
    out.push(`      # Unknown paths answer ${errs.status} ${errs.contentType || ''} (a single-page app's fallback): probe a path under the API instead.`);
    if (apiPrefix) out.push(`      notFoundPath: ${apiPrefix}/shipgate-no-such-route`);
    else {
      out.push(commented('      notFoundPath: /api/shipgate-no-such-route', 'TODO: a path under your API prefix'));
      todo('security.errors.notFoundPath: a path under your API prefix');
    }
  } else if (errs.contentType && !errs.contentType.includes('json')) {
    out.push(`      # Unknown routes answer ${errs.status} ${errs.contentType}; security.errors.json-format wants JSON errors (RFC 9457 problem details).`);
  } else if (errs.keys.length && !['title', 'status', 'detail'].every((k) => errs.keys.includes(k))) {
    out.push(
      `      # Unknown routes answer JSON with ${errs.keys.map((k) => `"${k}"`).join(', ')}. The gate wants RFC 9457 problem details`,
      '      # (title, status, detail); if your API has its own error format on purpose, TODO: name its fields in requiredFields.',
    );
    todo('security.errors.requiredFields: your API\'s errors are not RFC 9457 problem details');
  }
  const malformed = f.login.login?.malformedJson;
  if (f.login.login && malformed !== undefined && malformed >= 400 && malformed < 500) {
    out.push(commented(`      apiPath: ${q(f.login.login.path)}`, `an API path that takes JSON: it answered malformed JSON with ${malformed}`));
  } else {
    out.push(commented('      apiPath: /api', 'TODO: an API path that takes a JSON body (POST); malformed JSON is sent to it'));
    todo('security.errors.apiPath: an API path that takes JSON');
  }

  renderAuth(f, out, todo);
  renderRealtime(f, out, todo);

  out.push(
    '',
    '  # TODO build: the commands that build and typecheck the app, if shipgate should run them (see README, ### build).',
    '  # build:',
    '  #   steps:',
    '  #     - name: build',
    '  #       run: npm ci && npm run build',
    '',
    '  # Load is never switched on by init: it perturbs the target. Point it at a staging target, then uncomment.',
    '  # load:',
    '  #   endpoints:',
    `  #     - path: ${liveness?.path ?? '/health'}`,
    "  #       thresholds: ['p95 < 200ms', 'errors < 1%']",
    '  #   connections: 10',
    '  #   duration: 10s',
  );

  const smoke = [liveness ? 'probes' : undefined, 'security'].filter(Boolean);
  out.push(
    '',
    '# `shipgate run <this file> --suite smoke` runs one suite.',
    'suites:',
    '  smoke:',
    `    gates: [${smoke.join(', ')}]`,
    commented('    nonDestructive: true', 'nothing that writes data or sends load: fit for a scheduled production check'),
    '  release: all',
    '',
    '# A gate with a failing check can run again; a check that passes only on a retry is reported as flaky.',
    '# retries:',
    '#   probes: 1',
    '',
  );
  return { text: out.join('\n'), todos };
}

function renderAuth(f: Findings, out: string[], todo: (s: string) => void): void {
  const { login, refresh, logout, protectedRoute, loggedIn, note } = f.login;
  out.push('');
  if (!login) {
    out.push(
      `  # TODO auth: no login endpoint answered an empty JSON body with 400/401/422${note ? ` (${note})` : ''}. Name yours, then uncomment:`,
      '  # auth:',
      '  #   login:',
      '  #     path: /api/auth/login',
      `  #     username: "\${${USERNAME_VAR}:?set ${USERNAME_VAR}}"`,
      `  #     password: "\${secret:${PASSWORD_VAR}:?set ${PASSWORD_VAR}}"`,
      '  #   protected: { path: /api/me }',
    );
    todo('auth: no login endpoint found (section commented out)');
    return;
  }
  const field = login.userField;
  out.push(
    '  auth:',
    `    # POST ${login.path} answered ${login.status} to an empty JSON body: a login endpoint.`,
    `    # Use a test account, never a person's. Set ${USERNAME_VAR} and ${PASSWORD_VAR} in the environment.`,
    '    login:',
    `      path: ${q(login.path)}`,
    `      username: "\${${USERNAME_VAR}:?set ${USERNAME_VAR} to the test account's ${field}}"`,
    `      password: "\${secret:${PASSWORD_VAR}:?set ${PASSWORD_VAR} to the test account's password}"`,
    '      body:',
    `        ${field}: "{{username}}"${field === 'email' ? '      # its error message asked for an email' : ''}`,
    '        password: "{{password}}"',
    '    accessToken:',
  );
  if (loggedIn?.tokenPath) {
    out.push(commented(`      jsonPath: ${q(loggedIn.tokenPath)}`, `found when init logged in with ${USERNAME_VAR}/${PASSWORD_VAR}`));
  } else {
    const why = loggedIn ? `init logged in, but ${loggedIn.failure}` : `init did not log in; set ${USERNAME_VAR} and ${PASSWORD_VAR} and run it again to have it look`;
    out.push(commented('      jsonPath: accessToken', `TODO: where the login response carries the access token (${why})`));
    todo('auth.accessToken.jsonPath: where the login response carries the token');
  }
  if (loggedIn?.refreshCookie) out.push(commented(`    refreshCookie: { name: ${q(loggedIn.refreshCookie)} }`, 'the cookie the login set'));
  const endpoint = (key: string, e: { path: string; status: number } | undefined, what: string, fallback: string) => {
    if (e) out.push(commented(`    ${key}: { path: ${q(e.path)} }`, `answered ${e.status} ${what}`));
    else {
      out.push(commented(`    ${key}: { path: ${fallback} }`, `TODO: not found next to the login; your ${key} endpoint`));
      todo(`auth.${key}.path: not found`);
    }
  };
  endpoint('refresh', refresh, 'without a refresh cookie', '/api/auth/refresh');
  endpoint('logout', logout, 'without a session', '/api/auth/logout');
  endpoint('protected', protectedRoute, 'without a token', '/api/me');
  out.push(
    '    # The gate also sends up to 20 failed logins for a throwaway username (never the real account), then one per',
    '    # client-IP header claiming a new address: no 429, or a limit a spoofed X-Forwarded-For escapes, fails the run.',
    commented('    rateLimit: { required: true }', 'false only when a limiter outside this path (a WAF in front of production) guards logins'),
  );
}

function renderRealtime(f: Findings, out: string[], todo: (s: string) => void): void {
  const { streams, guess } = f.realtime;
  out.push('');
  const st = streams[0];
  if (!st) {
    out.push(
      `  # TODO realtime: no EventSource or WebSocket found in the scripts of ${f.realtime.pages.length ? f.realtime.pages.join(', ') : 'the home page'}.`,
      '  # If the app has live updates, describe them (see README, ### realtime) and uncomment:',
      '  # realtime:',
      '  #   page: /TODO',
      "  #   action: [{ fill: '#TODO', value: 'shipgate {marker}' }, { click: '#TODO' }]",
      "  #   observe: { selector: '#TODO li', text: 'shipgate {marker}' }",
    );
    todo('realtime: no live endpoint found (section commented out)');
    return;
  }
  const kind = st.kind === 'sse' ? 'a Server-Sent Events stream' : 'a WebSocket';
  const state = st.confirmed ? (st.kind === 'sse' ? 'it answered as an event stream' : 'its handshake succeeded') : `not confirmed: ${st.note ?? 'no answer'}`;
  out.push(
    `  # TODO realtime: init found ${kind} at ${st.url} (opened by ${st.script === 'inline' ? 'an inline script' : st.script} on the page ${st.page}; ${state}).`,
    ...streams.slice(1).map((s) => `  # Also found: ${s.kind === 'sse' ? 'SSE' : 'WebSocket'} ${s.url} (${s.script} on ${s.page}).`),
    '  # The selectors below are guesses from the page; check what one client does and what a second one must',
    '  # see, then uncomment. The gate adds data through the page, so keep it out of scheduled production runs.',
    '  # realtime:',
    '  #   mode: browser',
    `  #   page: ${q(st.page)}`,
    "  #   # ready: '[data-live=\"open\"]'    # optional: an element the page shows once its stream is open",
    '  #   action:',
    `  #     - fill: ${q(guess?.input ?? '#TODO')}`,
    "  #       value: 'shipgate {marker}'",
    `  #     - click: ${q(guess?.submit ?? '#TODO')}`,
    '  #   observe:',
    `  #     selector: ${q(guess?.list ?? '#TODO li')}`,
    "  #     text: 'shipgate {marker}'",
    '  #   rounds: 5',
    '  #   latency: p95 < 1s',
    `  # (Without a browser: mode: ${st.kind === 'sse' ? 'sse' : 'websocket'}, stream: ${st.url}, and a publish request that makes a change.)`,
  );
  todo(`realtime: steps for the page ${st.page} (${st.kind === 'sse' ? 'SSE' : 'WebSocket'} ${st.url} found; section commented out)`);
}
