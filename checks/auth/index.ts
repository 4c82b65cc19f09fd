// The auth gate: the access-token + rotating refresh-cookie flow, proven from the outside.
//
// Order, chosen so the whole gate logs in as few times as it can (two API logins, plus one in the
// browser when configured) and never locks anyone out:
//   1. login #1, the main session: its access token is published at once for later gates; it is only
//      read from (protected endpoint, forged tokens), never refreshed, so it stays valid;
//   2. one wrong password and one unknown user (auth.login), a refresh without a cookie;
//   3. login #2, a session to burn: refresh rotation, then reuse of the rotated-out token (reuse
//      detection rightly revokes that whole family);
//   4. the browser login (optional);
//   5. after every other gate has finished (afterAll): logout of the main session, then the burst of
//      failed logins for a throwaway username.
import type { GateModule } from '../../src/gates/contract.js';
import { loginRateLimit, logoutRevokes, refreshReuseRejected, refreshRotates } from './catalogue.js';
import { checkBrowserStorage } from './browser-storage.js';
import { judgeCookieFlags } from './cookie-flags.js';
import { AuthFlow } from './flow.js';
import { judgeLogin, logIn, type LoginOutcome } from './login.js';
import { checkLogout } from './logout.js';
import { checkAlgNone, checkProtected } from './protected.js';
import { checkRateLimit } from './rate-limit.js';
import { checkRequiresCookie, checkReuse, checkRotates } from './refresh.js';
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

    ctx.progress(`logging in as ${config.login.username}`);
    main = await logIn(flow);
    if (main.session) ctx.shared.accessToken = main.session.token;
    publish(main.session?.token);
    if (main.call.res?.setCookies.length) {
      (ctx.shared.cookies ??= []).push(...main.call.res.setCookies.map((setCookie) => ({ url: main.call.res!.url, setCookie })));
    }

    ctx.record(await judgeLogin(flow, main));
    ctx.record(judgeCookieFlags(flow, main));
    ctx.record(judgeTokenLifetime(flow, main));
    ctx.progress('protected endpoint with good, missing, malformed and forged tokens');
    const prot = await checkProtected(flow, main);
    ctx.record(prot.result);
    ctx.record(await checkAlgNone(flow, main, prot));

    ctx.progress('refresh rotation and reuse, on a second session');
    if (main.failure || !main.session?.refresh) {
      const reason = main.failure ?? main.noRefresh ?? 'login set no refresh cookie';
      ctx.record(refreshRotates.skip(reason));
      ctx.record(refreshReuseRejected.skip(reason));
    } else {
      const second = await logIn(flow);
      const { result, rotation } = await checkRotates(flow, second);
      ctx.record(result);
      ctx.record(await checkReuse(flow, second, rotation));
    }
    ctx.record(await checkRequiresCookie(flow));

    if (config.browser) ctx.progress(`logging in through ${config.browser.page} in Chromium`);
    ctx.record(await checkBrowserStorage(flow, main));
  },
};
