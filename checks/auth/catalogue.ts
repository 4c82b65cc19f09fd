import { defineCheck } from '../../src/check.js';

export const login = defineCheck({
  id: 'auth.login',
  title: 'Login issues an access token and a refresh cookie; wrong credentials get 401',
  severity: 'critical',
  rationale:
    'Every other auth check starts from a working login. Wrong credentials answered with 200 let anyone in; with 500 they hide a crash; an unknown user answered differently from a wrong password lets an attacker enumerate accounts.',
  remediation:
    'Answer valid credentials with 2xx, the access token in the JSON body and the refresh token in a Set-Cookie; answer any wrong credentials with the same 401 body ("invalid username or password"), whether or not the user exists.',
  tunedBy: ['gates.auth.login', 'gates.auth.accessToken.jsonPath', 'gates.auth.refreshCookie.name', 'gates.auth.rejectStatus'],
});

export const cookieFlags = defineCheck({
  id: 'auth.cookie-flags',
  title: 'The refresh cookie is HttpOnly, Secure, SameSite and path-scoped',
  severity: 'high',
  rationale:
    'The refresh token is the long-lived credential: readable by script (no HttpOnly) one XSS steals the session for weeks; without Secure it travels in clear text; without SameSite a cross-site form can use it; sent to every path it leaks into every request log.',
  remediation:
    'Set it as `refresh_token=…; HttpOnly; Secure; SameSite=Strict; Path=/api/auth` (Express: res.cookie(name, value, {httpOnly: true, secure: true, sameSite: "strict", path: "/api/auth"}); Fastify: @fastify/cookie with the same options; behind nginx make sure proxy_cookie_flags does not strip them).',
  tunedBy: ['gates.auth.refreshCookie.name', 'gates.auth.refresh.path'],
});

export const tokenLifetime = defineCheck({
  id: 'auth.token-lifetime',
  title: 'The access token is short-lived, minimal and signed',
  severity: 'high',
  rationale:
    'An access token cannot be revoked: a stolen one works until it expires, so it must expire soon. Personal data in it is readable by anyone who holds it (a JWT is encoded, not encrypted).',
  remediation:
    'Issue access tokens that expire within minutes (exp − iat ≤ 15 min) and rely on the refresh cookie for longer sessions; keep claims to sub, iat, exp, jti and roles/scope; look up personal data server-side. jsonwebtoken: sign(payload, key, {expiresIn: "15m", algorithm: "HS256"}).',
  tunedBy: ['gates.auth.accessToken.maxLifetime', 'gates.auth.accessToken.maxCustomClaims'],
});

export const protectedRequiresToken = defineCheck({
  id: 'auth.protected-requires-token',
  title: 'The protected endpoint requires a valid access token',
  severity: 'critical',
  rationale:
    'A protected route that answers without a token, with garbage, or with a token whose signature was altered is not protected at all.',
  remediation:
    'Put the protected routes behind an auth middleware that rejects a missing, malformed or badly signed token with 401 (Express: express-jwt / passport-jwt without credentialsRequired: false; Fastify: @fastify/jwt with request.jwtVerify() in an onRequest hook).',
  tunedBy: ['gates.auth.protected', 'gates.auth.rejectStatus'],
});

export const rejectsAlgNone = defineCheck({
  id: 'auth.rejects-alg-none',
  title: 'A token re-encoded with alg "none" is rejected',
  severity: 'critical',
  rationale:
    'A verifier that honours the token\'s own header accepts `{"alg":"none"}` with no signature: anyone can then mint a token for any user.',
  remediation:
    'Verify with an explicit algorithm allow-list (jsonwebtoken: verify(token, key, {algorithms: ["HS256"]}); jose: jwtVerify(token, key, {algorithms: ["HS256"]})); never let the token header choose the algorithm.',
  tunedBy: ['gates.auth.protected'],
});

export const refreshRotates = defineCheck({
  id: 'auth.refresh-rotates',
  title: 'Refresh returns a working access token and a new refresh cookie',
  severity: 'high',
  rationale:
    'Rotating the refresh token on every use means a stolen copy is only good until the real client refreshes next, and makes reuse detectable.',
  remediation:
    'On every refresh, invalidate the presented refresh token server-side, issue a new one in the same family, set it with Set-Cookie, and return a new access token.',
  tunedBy: ['gates.auth.refresh', 'gates.auth.refreshCookie.name', 'gates.auth.accessToken.jsonPath'],
});

export const refreshReuseRejected = defineCheck({
  id: 'auth.refresh-reuse-rejected',
  title: 'A rotated-out refresh token is rejected',
  severity: 'high',
  rationale:
    'If a refresh token still works after it was rotated, a thief who copied it keeps a parallel session forever. Reuse of an old token is the signal that one was stolen: the whole family should be revoked.',
  remediation:
    'Keep rotated tokens server-side marked as used; when one is presented again answer 401 and revoke every token of its family (OAuth 2.0 Security BCP, refresh token rotation with reuse detection).',
  tunedBy: ['gates.auth.refresh'],
});

export const refreshRequiresCookie = defineCheck({
  id: 'auth.refresh-requires-cookie',
  title: 'Refresh without a refresh cookie gets 401',
  severity: 'high',
  rationale: 'A refresh endpoint that issues tokens without the refresh cookie hands out sessions to anyone.',
  remediation: 'Answer a refresh request that carries no (or an unknown) refresh cookie with 401 and issue nothing.',
  tunedBy: ['gates.auth.refresh', 'gates.auth.rejectStatus'],
});

export const logoutRevokes = defineCheck({
  id: 'auth.logout-revokes',
  title: 'Logout revokes the refresh token and clears the cookie',
  severity: 'high',
  rationale:
    'A logout that only forgets the cookie in the browser leaves the refresh token valid on the server: anyone who copied it stays logged in.',
  remediation:
    'On logout, revoke the refresh token (and its family) server-side, then clear the cookie with the same name and Path and Max-Age=0 (Express: res.clearCookie(name, {path: "/api/auth"})).',
  tunedBy: ['gates.auth.logout', 'gates.auth.refreshCookie.name'],
});

export const loginRateLimit = defineCheck({
  id: 'auth.login-rate-limit',
  title: 'Repeated failed logins are rate-limited (429), and a spoofed client address does not escape the limit',
  severity: 'medium',
  rationale:
    'Without a limit on failed logins, passwords can be guessed at the speed of the network. A limiter keyed on X-Forwarded-For, X-Real-IP or Forwarded as the client sends them (Express trust proxy: true, a proxy that passes the header through) is no limit: each guess claims a new address.',
  remediation:
    'Limit failed logins per username (and client) within a window and answer 429 with Retry-After (Express: express-rate-limit or rate-limiter-flexible keyed on username+IP; Fastify: @fastify/rate-limit; nginx: limit_req on the login location). Key it so one client cannot lock out an account for everyone. Take the client address only from the proxies you run: Express app.set("trust proxy", 1) (the number of hops), Fastify trustProxy: "10.0.0.1" (their addresses), nginx real_ip_header with set_real_ip_from — never trust proxy: true on a server the internet reaches directly.',
  tunedBy: [
    'gates.auth.rateLimit.attempts',
    'gates.auth.rateLimit.within',
    'gates.auth.rateLimit.required',
    'gates.auth.rateLimit.username',
    'gates.auth.rateLimit.clientIpHeaders',
    'gates.auth.rateLimit.skipInSuites',
  ],
});

export const noStore = defineCheck({
  id: 'auth.no-store',
  title: 'Login, refresh and the protected response are not cacheable',
  severity: 'high',
  rationale:
    "A token response or a user's own data kept by a cache is handed to the next person: a CDN or proxy serves it to other users, a shared computer's browser shows it after logout. OAuth 2.0 (RFC 6749 §5.1) requires Cache-Control: no-store on token responses.",
  remediation:
    'Send Cache-Control: no-store on the login and refresh responses and on authenticated API responses (Express: res.set("Cache-Control", "no-store"), or a middleware on the API router; Fastify: reply.header("cache-control", "no-store") in an onSend hook). For the protected data, "private" without max-age also keeps it out of shared caches; never "public", s-maxage or a positive max-age.',
  tunedBy: ['gates.auth.login', 'gates.auth.refresh', 'gates.auth.protected'],
});

export const refreshTokenNotInBody = defineCheck({
  id: 'auth.refresh-token-not-in-body',
  title: 'The refresh token is only in the HttpOnly cookie, never in a JSON body',
  severity: 'high',
  rationale:
    'The HttpOnly refresh cookie exists so that no script can read the refresh token. Returning it in the login or refresh JSON as well hands it to every script on the page (and to whatever the page logs or stores), which undoes the cookie.',
  remediation:
    'Set the refresh token only with Set-Cookie (HttpOnly); return just the access token (and its lifetime) in the JSON body. Remove refreshToken/refresh_token from the response serializer.',
  tunedBy: ['gates.auth.login', 'gates.auth.refresh', 'gates.auth.refreshCookie.name'],
});

export const browserStorage = defineCheck({
  id: 'auth.browser-storage',
  title: 'No token sits in localStorage or sessionStorage after login',
  severity: 'high',
  rationale:
    'Anything in localStorage or sessionStorage (or a non-HttpOnly cookie) is readable by every script on the page: one XSS and the token is gone. The access token belongs in memory, the refresh token in an HttpOnly cookie.',
  remediation:
    'Keep the access token in a JavaScript variable (module scope or a closure), never in Web Storage; let the HttpOnly refresh cookie restore the session after a reload via the refresh endpoint.',
  tunedBy: ['gates.auth.browser'],
});

export const catalogue = [
  login,
  cookieFlags,
  tokenLifetime,
  protectedRequiresToken,
  rejectsAlgNone,
  refreshRotates,
  refreshReuseRejected,
  refreshRequiresCookie,
  noStore,
  refreshTokenNotInBody,
  logoutRevokes,
  loginRateLimit,
  browserStorage,
];
