// realtime.browser-storage: after the rounds, both contexts the realtime gate opened are searched for
// tokens a script could read — localStorage, sessionStorage, IndexedDB database names and cookies without
// HttpOnly — so a page that signs in (or fetches a token) from script is caught with no login form
// configured. A token is a JWT shape, or a value the auth gate saw (its access token, its HttpOnly cookies).
import type { BrowserContext, Page } from 'playwright-core';
import { JWT_PATTERN } from '../../src/lang/jwt-shape.js';
import type { GateContext } from '../../src/gates/contract.js';
import { readStorage } from '../../src/browser/storage.js';
import type { CheckResult } from '../../src/result.js';
import { browserStorage } from './catalogue.js';

/** Values the auth gate saw that must never be readable by a page script. */
function knownSecrets(ctx: GateContext): string[] {
  const out: string[] = [];
  if (typeof ctx.shared.accessToken === 'string') out.push(ctx.shared.accessToken);
  for (const { setCookie } of ctx.shared.cookies ?? []) {
    const m = /^\s*[^=;]+=([^;]*)/.exec(setCookie);
    if (m && /;\s*httponly/i.test(setCookie)) out.push(m[1]);
  }
  return out.filter((v) => v.length >= 8);
}

/** Inspects each client's context and page; `label` says what ran them. */
export async function checkBrowserStorage(
  ctx: GateContext,
  clients: { label: string; context: BrowserContext; page: Page }[],
  via: string,
): Promise<CheckResult> {
  const started = performance.now();
  const secrets = knownSecrets(ctx);
  const holdsToken = (v: string) => JWT_PATTERN.test(v) || secrets.some((s) => v.includes(s));
  const findings: string[] = [];
  const details: Record<string, unknown> = { via };
  try {
    for (const c of clients) {
      const snap = await readStorage(c.page);
      const cookies = await c.context.cookies();
      for (const [, v] of [...snap.local, ...snap.session]) if (holdsToken(v)) ctx.redactor.add(v);
      findings.push(
        ...snap.local.filter(([, v]) => holdsToken(v)).map(([k]) => `${c.label}: localStorage[${JSON.stringify(k)}]`),
        ...snap.session.filter(([, v]) => holdsToken(v)).map(([k]) => `${c.label}: sessionStorage[${JSON.stringify(k)}]`),
        ...cookies
          .filter((k) => !k.httpOnly && holdsToken(k.value))
          .map((k) => `${c.label}: cookie "${k.name}" (not HttpOnly, readable through document.cookie)`),
      );
      for (const k of cookies) if (holdsToken(k.value)) ctx.redactor.add(k.value);
      details[c.label] = {
        localStorageKeys: snap.local.map(([k]) => k),
        sessionStorageKeys: snap.session.map(([k]) => k),
        indexedDbNames: snap.indexedDb,
        scriptReadableCookies: cookies.filter((k) => !k.httpOnly).map((k) => k.name),
      };
    }
  } catch (err) {
    return browserStorage.error(
      `the pages' storage could not be read: ${String((err as Error)?.message ?? err).split('\n')[0]}`,
      { durationMs: performance.now() - started },
    );
  }
  const where = clients.map((c) => c.label).join(' and ');
  const durationMs = performance.now() - started;
  if (findings.length)
    return browserStorage.fail(
      `after the realtime rounds, a token is readable by any script on the page: ${findings.join(', ')}`,
      { evidence: { details }, durationMs },
    );
  return browserStorage.pass(
    `no token in localStorage, sessionStorage, IndexedDB or script-readable cookies of ${where} after the realtime rounds · ${via}`,
    { evidence: { details }, durationMs },
  );
}
