// The auth gate's part of `shipgate init`: find the login endpoint and its neighbours (refresh, logout, a
// protected route), log in once when the environment has a test account, write the section.
import type { InitHook, SummaryRow } from '../../src/init/hook.js';
import { commented, q } from '../../src/init/yaml.js';
import { probeLogin, type LoginFindings } from './init-discover.js';

export const USERNAME_VAR = 'SHIPGATE_USERNAME';
export const PASSWORD_VAR = 'SHIPGATE_PASSWORD';

const credentialsIn = (env: NodeJS.ProcessEnv) =>
  env[USERNAME_VAR] && env[PASSWORD_VAR] ? { username: env[USERNAME_VAR]!, password: env[PASSWORD_VAR]! } : undefined;

export const init: InitHook<LoginFindings> = {
  announce: (env) => (credentialsIn(env) ? `logging in once with ${USERNAME_VAR}/${PASSWORD_VAR}` : undefined),
  variables: { [USERNAME_VAR]: 'stand-in', [PASSWORD_VAR]: 'stand-in' },
  async discover(ctx) {
    ctx.progress('login endpoint');
    const found = await probeLogin(ctx.prober, ctx.catchAll, credentialsIn(ctx.env));
    if (found.login) ctx.facts.jsonEndpoint = { path: found.login.path, malformedStatus: found.login.malformedJson };
    return found;
  },
  render(found) {
    const f = found ?? {};
    const lines: string[] = [];
    const todos: string[] = [];
    const active = section(f, lines, (s) => todos.push(s));
    const next = f.login ? [`  export ${USERNAME_VAR}=… ${PASSWORD_VAR}=…   # a test account, for the auth gate`] : [];
    return { lines, todos, summary: summary(f), active, next };
  },
};

function section(found: LoginFindings, out: string[], todo: (s: string) => void): boolean {
  const { login, refresh, logout, protectedRoute, loggedIn, note } = found;
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
    return false;
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
    out.push(
      commented(`      jsonPath: ${q(loggedIn.tokenPath)}`, `found when init logged in with ${USERNAME_VAR}/${PASSWORD_VAR}`),
    );
  } else {
    const why = loggedIn
      ? `init logged in, but ${loggedIn.failure}`
      : `init did not log in; set ${USERNAME_VAR} and ${PASSWORD_VAR} and run it again to have it look`;
    out.push(commented('      jsonPath: accessToken', `TODO: where the login response carries the access token (${why})`));
    todo('auth.accessToken.jsonPath: where the login response carries the token');
  }
  if (loggedIn?.refreshCookie)
    out.push(commented(`    refreshCookie: { name: ${q(loggedIn.refreshCookie)} }`, 'the cookie the login set'));
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
    commented(
      '    rateLimit: { required: true }',
      'false only when a limiter outside this path (a WAF in front of production) guards logins',
    ),
  );
  return true;
}

function summary(l: LoginFindings): SummaryRow[] {
  if (!l.login) return [['missing', 'login', l.note ?? 'no login endpoint answered']];
  const parts = [`POST ${l.login.path} → ${l.login.status}`];
  if (l.refresh) parts.push(`refresh ${l.refresh.path}`);
  if (l.logout) parts.push(`logout ${l.logout.path}`);
  if (l.protectedRoute) parts.push(`protected ${l.protectedRoute.path}`);
  if (l.loggedIn)
    parts.push(
      l.loggedIn.tokenPath
        ? `token at ${l.loggedIn.tokenPath}`
        : `login with the environment's credentials: ${l.loggedIn.failure}`,
    );
  return [['found', 'login', parts.join('; ')]];
}
