// auth.protected-requires-token and auth.rejects-alg-none: the protected endpoint with the genuine
// token, with none, with garbage, with an altered signature, and with forged alg "none" tokens. None of
// these requests depends on another's answer, so they leave together: the tokenless ones beside the login,
// the rest as soon as the login's token is there.
import type { CheckResult } from '../../src/result.js';
import { protectedRequiresToken, rejectsAlgNone } from './catalogue.js';
import { endpointName, is2xx, type AuthFlow, type Call } from './flow.js';
import { decodeJwt, withAlgNone, withFlippedSignature } from './jwt.js';
import type { LoginOutcome } from './login.js';

export interface ProtectedOutcome {
  result: CheckResult;
  /** The genuine token worked and the one with an altered signature was rejected: forged tokens can be judged. */
  baselineHolds: boolean;
  baselineProblem?: string;
  /** The answer to the genuine token (for auth.no-store). */
  withToken?: Call;
  /** The alg "none" forgeries, sent beside the other probes. */
  forged?: { alg: string; call: Call }[];
}

export interface Probe {
  what: string;
  call: Call;
  expectAccepted: boolean;
}

/** The probes that need no token: none at all, and garbage. Sent before the login has answered. */
export async function sendAnonymousProbes(flow: AuthFlow): Promise<Probe[]> {
  const [none, malformed] = await Promise.all([flow.protectedCall(), flow.protectedCall(undefined, 'Bearer not-a-token')]);
  return [
    { what: 'no token', expectAccepted: false, call: none },
    { what: 'malformed token', expectAccepted: false, call: malformed },
  ];
}

/** The token with one character in its middle changed (for opaque tokens). */
function alterOpaque(token: string): string {
  const i = Math.floor(token.length / 2);
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

export async function checkProtected(flow: AuthFlow, main: LoginOutcome, anonymous: Promise<Probe[]>): Promise<ProtectedOutcome> {
  if (!main.session)
    return {
      result: protectedRequiresToken.skip(main.failure ?? 'no access token'),
      baselineHolds: false,
      baselineProblem: main.failure,
    };
  const started = performance.now();
  const token = main.session.token;
  const jwt = decodeJwt(token);
  const altered = jwt ? withFlippedSignature(jwt) : alterOpaque(token);
  flow.ctx.redactor.add(altered);
  const forgeries = jwt ? NONE_VARIANTS.map((alg) => ({ alg, token: withAlgNone(jwt, alg) })) : [];
  for (const f of forgeries) flow.ctx.redactor.add(f.token);
  const [withToken, alteredCall, forged, anonymousProbes] = await Promise.all([
    flow.protectedCall(token),
    flow.protectedCall(altered),
    Promise.all(forgeries.map(async (f) => ({ alg: f.alg, call: await flow.protectedCall(f.token) }))),
    anonymous,
  ]);
  const probes: Probe[] = [
    { what: 'with the token', expectAccepted: true, call: withToken },
    ...anonymousProbes,
    { what: jwt ? 'flipped signature byte' : 'altered token', expectAccepted: false, call: alteredCall },
  ];

  const where = endpointName(flow.config.protected);
  const wrong = probes.filter((p) => (p.expectAccepted ? !is2xx(p.call.res) : !flow.isRejected(p.call.res)));
  const summary = probes.map((p) => `${p.what} → ${p.call.res?.status ?? 'no response'}`).join(', ');
  const durationMs = performance.now() - started;
  // The control for forged tokens: the genuine one works and a badly signed one does not.
  const valid = probes[0];
  const badSignature = probes[3];
  const baselineHolds = is2xx(valid.call.res) && flow.isRejected(badSignature.call.res);
  const baselineProblem = !is2xx(valid.call.res)
    ? `the genuine access token is not accepted by ${where} (${flow.outcome(valid.call)})`
    : !flow.isRejected(badSignature.call.res)
      ? `${where} accepts a token with an altered signature (${flow.outcome(badSignature.call)}; see auth.protected-requires-token), so a forged token proves nothing more`
      : undefined;
  const seen = { withToken, forged };
  if (wrong.length === 0)
    return { result: protectedRequiresToken.pass(`${where}: ${summary}`, { durationMs }), baselineHolds, ...seen };
  const explain = wrong
    .map((p) => `${p.what} → ${flow.outcome(p.call)}, expected ${p.expectAccepted ? '2xx' : flow.expectedRejection}`)
    .join('; ');
  const result = protectedRequiresToken.fail(`${where}: ${explain}`, {
    evidence: flow.evidence(wrong[0].call, { all: summary }),
    durationMs,
  });
  return { result, baselineHolds, baselineProblem, ...seen };
}

/** Spellings of "none" that lenient libraries have accepted. */
const NONE_VARIANTS = ['none', 'None', 'NONE'];

export function checkAlgNone(flow: AuthFlow, main: LoginOutcome, protectedOutcome: ProtectedOutcome): CheckResult {
  if (!main.session) return rejectsAlgNone.skip(main.failure ?? 'no access token');
  const jwt = decodeJwt(main.session.token);
  if (!jwt) return rejectsAlgNone.skip('the access token is opaque (not a JWT): there is no header to forge');
  if (!protectedOutcome.baselineHolds)
    return rejectsAlgNone.skip(protectedOutcome.baselineProblem ?? 'the protected endpoint does not distinguish tokens');
  const where = endpointName(flow.config.protected);
  const tries = protectedOutcome.forged ?? [];
  const durationMs = Math.max(0, ...tries.map((t) => t.call.res?.durationMs ?? 0));
  const summary = tries.map((t) => `alg "${t.alg}" → ${t.call.res?.status ?? 'no response'}`).join(', ');
  const accepted = tries.filter((t) => is2xx(t.call.res));
  if (accepted.length) {
    return rejectsAlgNone.fail(
      `${where} accepts a token re-encoded with alg "${accepted[0].alg}" and no signature (${flow.outcome(accepted[0].call)}): anyone can forge a token for any user (${summary})`,
      {
        evidence: flow.evidence(accepted[0].call, { forgedHeader: { ...jwt.header, alg: accepted[0].alg } }),
        durationMs,
      },
    );
  }
  const odd = tries.filter((t) => !flow.isRejected(t.call.res));
  if (odd.length)
    return rejectsAlgNone.fail(
      `${where}: ${odd.map((t) => `alg "${t.alg}" → ${flow.outcome(t.call)}`).join('; ')}, expected ${flow.expectedRejection}`,
      { evidence: flow.evidence(odd[0].call), durationMs },
    );
  return rejectsAlgNone.pass(`${where}: forged tokens with no signature rejected (${summary})`, { durationMs });
}
