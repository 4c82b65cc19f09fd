import { defineCheck } from '../../src/check.js';
import { exposureCatalogue } from './exposure-catalogue.js';

const CORS_FIX =
  'Compare the Origin header against an explicit allowlist of full origins (scheme, host, port) with string equality, and echo it only on a match. ' +
  'Express: cors({ origin: ["https://app.example.com"], credentials: true }) (an array, not a regex or a callback that returns true). ' +
  'Fastify: @fastify/cors with origin: ["https://app.example.com"]. ' +
  'nginx: a map $http_origin $cors_origin { "https://app.example.com" $http_origin; default ""; } and add_header Access-Control-Allow-Origin $cors_origin always.';

const cors = (cls: string, title: string, severity: 'critical' | 'high' | 'medium', rationale: string, extra = '') =>
  defineCheck({
    id: `security.cors.${cls}`,
    title,
    severity,
    rationale,
    remediation: `${extra}${extra ? ' ' : ''}${CORS_FIX}`,
    tunedBy: ['gates.security.cors.allowedOrigins', 'gates.security.cors.paths', 'gates.security.paths'],
  });

export const reflectOrigin = cors(
  'reflect-origin',
  'CORS does not allow an arbitrary origin',
  'critical',
  'A server that echoes any Origin into Access-Control-Allow-Origin lets every website read its responses — with credentials, as the logged-in user.',
  "Never copy the request's Origin into Access-Control-Allow-Origin unchecked (cors({ origin: true }) does exactly that).",
);
export const nullOrigin = cors(
  'null-origin',
  'CORS does not allow the null origin',
  'high',
  'Origin: null is sent by sandboxed iframes, data: URLs and file: pages, all of which any attacker can create; allowing it is like allowing everyone.',
  'Remove "null" from the allowlist; local development should use a real origin like http://localhost:3000.',
);
export const prefixMatch = cors(
  'prefix-match',
  'CORS does not allow origins that merely start with an allowed one',
  'high',
  'A startsWith() check accepts https://app.example.com.evil.test, a domain the attacker registers.',
);
export const suffixMatch = cors(
  'suffix-match',
  'CORS does not allow origins that merely end with an allowed host',
  'high',
  'An endsWith() check (or an unanchored regex) accepts https://evilapp.example.com, a domain the attacker registers.',
);
export const unescapedDot = cors(
  'unescaped-dot',
  'CORS origin patterns escape their dots',
  'high',
  'In a regex, "app.example.com" also matches appxexample.com: the dot matches any character, and the attacker registers the look-alike.',
  'If you must use a regex, escape dots and anchor it: /^https:\\/\\/app\\.example\\.com$/.',
);
export const httpTrusted = cors(
  'http-trusted',
  'CORS does not trust the http twin of an https origin',
  'medium',
  'Trusting http://app.example.com lets anyone on the network path inject script into that page and read the https API through it.',
  'List only https:// origins in production.',
);
export const anySubdomain = cors(
  'any-subdomain',
  'CORS does not allow arbitrary subdomains',
  'medium',
  'Allowing *.example.com means one XSS or one dangling DNS record on any subdomain is enough to read the API.',
  'List the subdomains that need access; set cors.allowSubdomains: true in the profile if every subdomain is trusted on purpose.',
);
export const wildcardCredentials = defineCheck({
  id: 'security.cors.wildcard-credentials',
  title: 'CORS never combines * with credentials',
  severity: 'high',
  rationale:
    'Browsers refuse Access-Control-Allow-Origin: * with credentials, so the next "fix" is usually to reflect the Origin — the worst misconfiguration of all.',
  remediation:
    'For a public API send ACAO * without Access-Control-Allow-Credentials; for a credentialed API send the exact allowlisted origin. Express: cors({ origin: "*" }) without credentials: true.',
  tunedBy: ['gates.security.cors.credentials'],
});
export const varyOrigin = defineCheck({
  id: 'security.cors.vary-origin',
  title: 'Responses whose ACAO depends on the Origin say Vary: Origin',
  severity: 'medium',
  rationale:
    'Without Vary: Origin a CDN or browser cache can serve the response allowed for one origin to another, breaking the app or leaking the allowance.',
  remediation:
    "Send Vary: Origin on every response of an origin-dependent CORS policy (Express's cors package does this when origin is an array; nginx: add_header Vary Origin always).",
  tunedBy: ['gates.security.cors.paths'],
});
export const allowedOrigin = defineCheck({
  id: 'security.cors.allowed-origin',
  title: 'The allowed origins are allowed, exactly',
  severity: 'high',
  rationale:
    'The front end at an allowed origin must be able to call the API (simple requests and preflights), with credentials exactly as intended.',
  remediation:
    'Answer Access-Control-Allow-Origin with the exact origin, Access-Control-Allow-Credentials: true when cookies or auth headers are used, and answer OPTIONS preflights with 204 plus Access-Control-Allow-Methods and -Headers. Express: app.use(cors({ origin: [...], credentials: true })) before the routes; Fastify: @fastify/cors.',
  tunedBy: ['gates.security.cors.allowedOrigins', 'gates.security.cors.credentials', 'gates.security.cors.preflight'],
});

export const hsts = defineCheck({
  id: 'security.headers.hsts',
  title: 'Strict-Transport-Security is set, long and with subdomains',
  severity: 'high',
  rationale:
    "Without HSTS the first http:// request (typed URL, old link) can be intercepted and downgraded (SSL stripping). The evidence says whether the header qualifies the host for the browsers' preload list (hstspreload.org: max-age of at least 31536000, includeSubDomains, preload, on the https origin of a domain name); a preload directive on a header that does not qualify is a warning.",
  remediation:
    'Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every https response. Express: helmet() (helmet.hsts); Fastify: @fastify/helmet; nginx: add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always. Add preload only when every subdomain serves https and the header qualifies, then submit the domain at hstspreload.org.',
  tunedBy: ['gates.security.hsts.required', 'gates.security.hsts.minMaxAge', 'gates.security.hsts.includeSubDomains'],
});
export const csp = defineCheck({
  id: 'security.headers.csp',
  title: 'Content-Security-Policy is set and blocks script injection',
  severity: 'high',
  rationale:
    "A CSP without 'unsafe-inline', wildcards, broad schemes or hosts known to serve JSONP or AngularJS in script-src (Google's bypass lists: cdnjs.cloudflare.com, *.googleapis.com, www.google.com, …), and with object-src and base-uri restricted, turns most XSS bugs into harmless text (rules and host lists of Google's CSP Evaluator).",
  remediation:
    "Start from default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none' and move inline scripts to files (or use nonces with 'strict-dynamic', which also makes host allowlists moot); serve third-party libraries from your own origin instead of allowlisting a public CDN. Express: helmet.contentSecurityPolicy({ directives }); Fastify: @fastify/helmet; nginx: add_header Content-Security-Policy \"...\" always. Check the policy at csp-evaluator.withgoogle.com.",
  tunedBy: ['gates.security.paths'],
});
export const nosniff = defineCheck({
  id: 'security.headers.nosniff',
  title: 'X-Content-Type-Options: nosniff',
  severity: 'medium',
  rationale: 'Without nosniff a browser may execute an uploaded text or JSON file as script or style by sniffing its content.',
  remediation:
    'Send X-Content-Type-Options: nosniff on every response. Express: helmet() (noSniff); Fastify: @fastify/helmet; nginx: add_header X-Content-Type-Options nosniff always.',
});
export const frameOptions = defineCheck({
  id: 'security.headers.frame-options',
  title: 'Framing is restricted (CSP frame-ancestors or X-Frame-Options)',
  severity: 'medium',
  rationale: 'A page that any site may frame can be overlaid with decoys so users click where the attacker wants (clickjacking).',
  remediation:
    "Send CSP frame-ancestors 'none' (or 'self'), optionally also X-Frame-Options: DENY for old browsers. Express: helmet() (frameguard + CSP); nginx: add_header X-Frame-Options DENY always.",
});
export const referrerPolicyCheck = defineCheck({
  id: 'security.headers.referrer-policy',
  title: 'Referrer-Policy does not leak URLs to other sites',
  severity: 'low',
  rationale: 'Full URLs (with ids, tokens, search terms) sent in the Referer header to third parties leak user data.',
  remediation:
    'Send Referrer-Policy: strict-origin-when-cross-origin (or no-referrer). Express: helmet() (referrerPolicy); nginx: add_header Referrer-Policy strict-origin-when-cross-origin always.',
});
export const versionLeak = defineCheck({
  id: 'security.headers.version-leak',
  title: 'No framework or server version in the headers',
  severity: 'low',
  rationale: 'X-Powered-By and versioned Server headers tell an attacker which CVEs to try first.',
  remediation:
    'Express: app.disable("x-powered-by") (helmet does it); nginx: server_tokens off; Apache: ServerTokens Prod; ASP.NET: remove X-AspNet-Version in web.config.',
});
export const permissionsPolicy = defineCheck({
  id: 'security.headers.permissions-policy',
  title: 'Permissions-Policy restricts powerful features',
  severity: 'low',
  rationale:
    'Denying camera, microphone, geolocation and the like by default limits what injected or third-party script can do. Judged on HTML documents only: on a JSON response the header has no effect.',
  remediation:
    'Send e.g. Permissions-Policy: camera=(), microphone=(), geolocation=(). Express: res.setHeader in a middleware (helmet does not set it); nginx: add_header Permissions-Policy "camera=(), microphone=(), geolocation=()" always.',
});
export const crossOriginPolicies = defineCheck({
  id: 'security.headers.cross-origin-policies',
  title: 'Cross-Origin-Resource-Policy and Cross-Origin-Opener-Policy are set',
  severity: 'low',
  rationale:
    'CORP stops other sites from embedding your responses (Spectre-style leaks); COOP cuts the window.opener link to cross-origin pages.',
  remediation:
    'Send Cross-Origin-Resource-Policy: same-origin (same-site if subdomains embed it) and, on HTML pages, Cross-Origin-Opener-Policy: same-origin. Express: helmet() sets both; nginx: add_header ... always.',
});
export const httpsRedirect = defineCheck({
  id: 'security.headers.https-redirect',
  title: 'Plain http redirects to https on the same host',
  severity: 'high',
  rationale: 'Users and links still arrive over http; the first hop must go to https on the same host so HSTS can take over.',
  remediation:
    'Answer every http:// request with 301/308 to the same host and path on https://. nginx: server { listen 80; return 301 https://$host$request_uri; }; on a PaaS enable "force https".',
});
export const grade = defineCheck({
  id: 'security.headers.grade',
  title: 'Security headers grade (MDN HTTP Observatory scoring)',
  severity: 'medium',
  rationale:
    'One number that summarizes the headers the way the MDN HTTP Observatory would, so regressions show up as a grade drop.',
  remediation:
    'Fix the rows with negative modifiers listed in the message (CSP, HSTS, X-Frame-Options, cookies...); helmet() with a strict CSP reaches A+ in Express.',
  tunedBy: ['gates.security.minGrade'],
});

export const cookieFlags = defineCheck({
  id: 'security.cookies.flags',
  title: 'Cookies are Secure, HttpOnly (sessions) and SameSite',
  severity: 'high',
  rationale:
    'A session cookie without HttpOnly is readable by any injected script; without Secure it travels over http; without SameSite it rides along on cross-site requests (CSRF).',
  remediation:
    'Set cookies with Secure; HttpOnly; SameSite=Lax (or Strict); Path=/. Express: res.cookie(name, value, { secure: true, httpOnly: true, sameSite: "lax" }) and express-session cookie options; Fastify: @fastify/cookie with the same options; nginx: proxy_cookie_flags ~ secure httponly samesite=lax.',
  tunedBy: ['gates.security.cookies.sessionNames'],
});

export const noStackTrace = defineCheck({
  id: 'security.errors.no-stack-trace',
  title: 'Error responses contain no stack traces or source paths',
  severity: 'high',
  rationale: 'Stack traces reveal file layout, library versions and code paths, and often the data that caused the error.',
  remediation:
    'Run with NODE_ENV=production and register a final error handler that returns a generic problem JSON and logs the stack server-side. Express: app.use((err, req, res, next) => res.status(err.status ?? 500).json({ title, status, detail, requestId })); Fastify: setErrorHandler; never send err.stack.',
  tunedBy: ['gates.security.errors.notFoundPath', 'gates.security.errors.apiPath'],
});
export const jsonFormat = defineCheck({
  id: 'security.errors.json-format',
  title: 'Errors are JSON in the agreed shape',
  severity: 'medium',
  rationale:
    'Clients (and on-call engineers) can only handle errors they can parse: one shape (RFC 9457 problem details) for every error, with the request id to find the logs.',
  remediation:
    'Answer unknown routes with 404 and malformed bodies with 400 as application/problem+json {type, title, status, detail, requestId}. Express: a 404 handler after the routes plus an error handler that maps body-parser\'s SyntaxError (err.type === "entity.parse.failed") to 400; Fastify: setNotFoundHandler and setErrorHandler.',
  tunedBy: [
    'gates.security.errors.requiredFields',
    'gates.security.errors.requestIdFields',
    'gates.security.errors.notFoundPath',
    'gates.security.errors.apiPath',
  ],
});
export const requestId = defineCheck({
  id: 'security.errors.request-id',
  title: 'Responses carry a request id, echoed when the client sends one',
  severity: 'medium',
  rationale: 'A request id shared by client, proxy and server logs is how a reported error is found in minutes instead of hours.',
  remediation:
    'Read X-Request-Id (validate: short, [A-Za-z0-9._-]) or generate a UUID, set it on the response and in every error body. Express: a small middleware or express-request-id; Fastify: genReqId + requestIdHeader; nginx: proxy_set_header X-Request-Id $request_id.',
  tunedBy: ['gates.security.errors.requestIdHeader', 'gates.security.errors.requestIdFields'],
});

export const tlsCertificate = defineCheck({
  id: 'security.tls.certificate',
  title: 'The TLS certificate is trusted, matches the host and is not about to expire',
  severity: 'critical',
  rationale:
    'An expired, not-yet-valid, wrong-host or untrusted certificate takes the whole site down for every browser and API client at once; expiry is the outage a scheduled check exists to catch weeks ahead.',
  remediation:
    'Renew the certificate (automate it: ACME/cert-manager renew 30 days ahead), serve the full chain (leaf + intermediates), and make its subjectAltName list the host clients use. For an internal CA, trust it in the profile with target.tls.ca.',
  tunedBy: ['gates.security.tls.warnDays', 'gates.security.tls.failDays', 'target.tls.ca', 'target.tls.serverName'],
});

export const tlsProtocols = defineCheck({
  id: 'security.tls.protocols',
  title: 'Only TLS 1.2 and 1.3 are accepted',
  severity: 'high',
  rationale:
    'TLS 1.0 and 1.1 are deprecated (RFC 8996): weak ciphers and downgrade attacks; PCI DSS and every browser have dropped them.',
  remediation:
    'Accept TLS 1.2 and 1.3 only. nginx: ssl_protocols TLSv1.2 TLSv1.3; Node: tls minVersion "TLSv1.2" (the default); on a load balancer, pick a modern TLS policy.',
});

export const catalogue = [
  reflectOrigin,
  nullOrigin,
  prefixMatch,
  suffixMatch,
  unescapedDot,
  httpTrusted,
  anySubdomain,
  wildcardCredentials,
  varyOrigin,
  allowedOrigin,
  hsts,
  csp,
  nosniff,
  frameOptions,
  referrerPolicyCheck,
  versionLeak,
  permissionsPolicy,
  crossOriginPolicies,
  httpsRedirect,
  grade,
  cookieFlags,
  noStackTrace,
  jsonFormat,
  requestId,
  ...exposureCatalogue,
  tlsCertificate,
  tlsProtocols,
];
