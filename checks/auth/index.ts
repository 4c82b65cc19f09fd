// The auth gate: the access-token + rotating refresh-cookie flow, proven from the outside.
//
// Order, chosen so the whole gate never locks anyone out, logs in a fixed few times (three API logins,
// plus one in the browser when configured), and waits on as few round trips as it can (a distant target
// pays for every request that waits on another, not for requests side by side):
//   1. at once: login #1 (the main session), logins #2 and #3 (sessions to burn), one wrong password and
//      one unknown user (auth.login), the protected endpoint without a token and with garbage, a refresh
//      without a cookie. The main session's access token is published as soon as it arrives; it is only
//      read from (protected endpoint, forged tokens), never refreshed, so it stays valid;
//   2. at once, once the main token is there: the protected endpoint with it, with an altered signature
//      and with the alg "none" forgeries;
//      beside that, in the order correctness needs: on login #2 refresh → the new access token works
//      (rotation); on login #3 refresh → the rotated-out token again (reuse detection rightly revokes that
//      whole family) → the newest token of the family. A third login costs less than a round trip;
//   3. the browser login (optional);
//   4. after every other gate has finished (afterAll): logout of the main session, then the burst of
//      failed logins for a throwaway username (skipped in the suites of rateLimit.skipInSuites).
import type { GateModule } from '../../src/gates/contract.js';
import { loginRateLimit, logoutRevokes, refreshReuseRejected, refreshRotates } from './catalogue.js';
import { checkBrowserStorage } from './browser-storage.js';
import { judgeCookieFlags } from './cookie-flags.js';
import { AuthFlow, is2xx } from './flow.js';
import { judgeLogin, logIn, sendLoginNegatives, type LoginOutcome } from './login.js';
import { checkLogout } from './logout.js';
import { checkNoStore } from './no-store.js';
import { checkAlgNone, checkProtected, sendAnonymousProbes } from './protected.js';
import { checkRateLimit } from './rate-limit.js';
import { checkRefreshNotInBody } from './refresh-not-in-body.js';
import { checkRequiresCookie, checkReuse, checkRotates, rotateForReuse } from './refresh.js';
import type { AuthConfig } from './schema.js';
import { judgeTokenLifetime } from './token-lifetime.js';

export const gate: GateModule<AuthConfig> = {
  async run(ctx, config) {
    const flow = new AuthFlow(ctx, config);
    // Gates of the same phase (realtime) may await the token instead of racing the login.
    let publish: (token: string | undefined) => void = () => {};
    ctx.shared.accessTokenReady = new Promise<string | undefined>((resolve) => (publish = resolve));
    ctx.onCleanup(() => publish(undefined)); // never leave a waiting gate hanging

    // Registered first, so logout and the login burst still run if this gate is cut at its deadline.
    let main: LoginOutcome | undefined;
    ctx.afterAll(async () => {
      const reason = main?.failure ?? (main ? undefined : 'the gate ended before it could log in');
      ctx.progress('logout of the main session');
      ctx.record(main ? await checkLogout(flow, main) : logoutRevokes.skip(reason!));
      ctx.record(reason ? loginRateLimit.skip(reason) : await checkRateLimit(flow));
    });

    ctx.progress(`logging in as ${config.login.username}, with wrong credentials, and without a token`);
    const mainLogin = logIn(flow);
    const secondLogin = logIn(flow);
    const thirdLogin = logIn(flow);
    const negatives = sendLoginNegatives(flow);
    const anonymous = sendAnonymousProbes(flow);
    const requiresCookie = checkRequiresCookie(flow);
    // Settle everything started above even when the main login ends the story early.
    const settle = Promise.allSettled([secondLogin, thirdLogin, negatives, anonymous, requiresCookie]);

    main = await mainLogin;
    if (main.session) ctx.shared.accessToken = main.session.token;
    publish(main.session?.token);
    if (main.call.res?.setCookies.length) {
      (ctx.shared.cookies ??= []).push(...main.call.res.setCookies.map((setCookie) => ({ url: main!.call.res!.url, setCookie })));
    }
    const session = main;

    ctx.progress('protected endpoint with good, forged and altered tokens; refresh rotation and reuse on sessions of their own');
    const protectedWork = checkProtected(flow, session, anonymous);
    const rotationWork = (async () => {
      if (session.failure || !session.session?.refresh) {
        const reason = session.failure ?? session.noRefresh ?? 'login set no refresh cookie';
        return { rotates: refreshRotates.skip(reason), reuse: refreshReuseRejected.skip(reason) };
      }
      const [{ result, rotation }, reuse] = await Promise.all([
        secondLogin.then((second) => checkRotates(flow, second)),
        thirdLogin.then(async (third) => checkReuse(flow, third, await rotateForReuse(flow, third))),
      ]);
      return { rotates: result, reuse, rotation };
    })();

    ctx.record(judgeLogin(flow, session, await negatives));
    ctx.record(judgeCookieFlags(flow, session));
    ctx.record(judgeTokenLifetime(flow, session));
    const prot = await protectedWork;
    ctx.record(prot.result);
    ctx.record(checkAlgNone(flow, session, prot));
    const rotation = await rotationWork;
    ctx.record(rotation.rotates);
    ctx.record(rotation.reuse);
    ctx.record(await requiresCookie);
    await settle;

    const refreshed = rotation.rotation?.refreshed;
    ctx.record(
      checkNoStore(
        flow,
        { login: session.call, refresh: refreshed, protected: is2xx(prot.withToken?.res) ? prot.withToken : undefined },
        session.failure,
      ),
    );
    ctx.record(
      checkRefreshNotInBody(
        flow,
        {
          login: session.call,
          loginCookie: session.session?.refresh,
          refresh: refreshed,
          refreshCookieValue: rotation.rotation?.current,
        },
        session.failure,
      ),
    );

    if (config.browser) ctx.progress(`logging in through ${config.browser.page} in Chromium`);
    ctx.record(await checkBrowserStorage(flow, main));
  },
};
