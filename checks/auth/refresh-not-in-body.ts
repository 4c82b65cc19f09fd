// auth.refresh-token-not-in-body: the refresh token lives in the HttpOnly cookie and nowhere a script can
// read it. Looked for in the JSON bodies of the login and refresh answers: the cookie's own value anywhere
// in the text, and any field named like a refresh token holding a token-sized string.
import type { CheckResult } from '../../src/result.js';
import { refreshTokenNotInBody } from './catalogue.js';
import { endpointName, parseJson, type AuthFlow, type Call } from './flow.js';
import { MIN_TOKEN_LENGTH, refreshFields } from './refresh-fields.js';

interface Finding {
  call: Call;
  what: string;
  where: string;
}

function inspect(
  flow: AuthFlow,
  call: Call | undefined,
  what: string,
  cookieValue: string | undefined,
  cookieName: string | undefined,
): Finding[] {
  const body = call?.res?.body;
  if (!call || !body) return [];
  const fields = refreshFields(parseJson(body));
  for (const f of fields) flow.ctx.redactor.add(f.value);
  const findings: Finding[] = fields.map((f) => ({
    call,
    what,
    where: f.value === cookieValue ? `the "${cookieName}" cookie's value at "${f.path}"` : `a refresh token at "${f.path}"`,
  }));
  const cookieInText = cookieValue !== undefined && cookieValue.length >= MIN_TOKEN_LENGTH && body.includes(cookieValue);
  if (cookieInText && !fields.some((f) => f.value === cookieValue))
    findings.push({ call, what, where: `the "${cookieName}" cookie's value` });
  return findings;
}

export function checkRefreshNotInBody(
  flow: AuthFlow,
  seen: { login?: Call; loginCookie?: { name: string; value: string }; refresh?: Call; refreshCookieValue?: string },
  skipReason?: string,
): CheckResult {
  if (skipReason) return refreshTokenNotInBody.skip(skipReason);
  const name = seen.loginCookie?.name;
  const findings = [
    ...inspect(flow, seen.login, endpointName(flow.config.login), seen.loginCookie?.value, name),
    ...inspect(flow, seen.refresh, endpointName(flow.config.refresh), seen.refreshCookieValue, name),
  ];
  const inspected = [seen.login?.res && endpointName(flow.config.login), seen.refresh?.res && endpointName(flow.config.refresh)]
    .filter(Boolean)
    .join(' and ');
  if (findings.length) {
    const list = findings.map((f) => `${f.what}: ${f.where}`).join('; ');
    return refreshTokenNotInBody.fail(
      `the JSON body carries the refresh token (${list}): any script on the page can read it, so the HttpOnly cookie protects nothing`,
      {
        evidence: flow.evidence(findings[0].call),
      },
    );
  }
  return refreshTokenNotInBody.pass(
    `${inspected}: no refresh token in the JSON body${name ? ` (only in the "${name}" cookie)` : ''}`,
  );
}
