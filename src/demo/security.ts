// The demo's security posture: an explicit CORS allowlist with credentials, strict headers on every
// response, a session-style cookie with good flags, and JSON errors without stack traces. Each flaw
// breaks exactly one of these the way real apps get it wrong.
import { randomBytes } from 'node:crypto';
import { problemBody, sendJson, type DemoApp, type DemoModule, type DemoRequest } from './app.js';

/** The front end allowed to call the demo API with cookies. */
export const DEMO_ALLOWED_ORIGINS = ['https://app.example.com'];

/**
 * Same-origin scripts, styles and connections (fetch, EventSource, WebSocket) only; no inline script,
 * no plugins, no <base>, no framing. A page served by the demo loads its script from a file.
 */
export const DEMO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const UNSAFE_CSP = DEMO_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");

const STRICT_HEADERS: Record<string, string> = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const ALLOW_HEADERS = 'Content-Type, Authorization, X-Request-Id';

/** The CORS decision, with each flaw's classic mistake. */
function originAllowed(origin: string, flaws: ReadonlySet<string>): boolean {
  if (flaws.has('cors-reflect-origin')) return true; // cors({ origin: true })
  if (flaws.has('cors-null-origin') && origin === 'null') return true; // "null" added for file:// testing
  if (flaws.has('cors-suffix-match')) {
    // /^https:\/\/.*app\.example\.com$/: meant "app.example.com and its subdomains", matches evilapp.example.com
    return DEMO_ALLOWED_ORIGINS.some((a) => {
      const u = new URL(a);
      return new RegExp(`^${u.protocol}//.*${u.host.replace(/\./g, '\\.')}$`).test(origin);
    });
  }
  return DEMO_ALLOWED_ORIGINS.includes(origin);
}

function appendVary(r: DemoRequest, value: string): void {
  const prev = r.res.getHeader('Vary');
  const list = prev
    ? String(prev)
        .split(',')
        .map((s) => s.trim())
    : [];
  if (!list.some((v) => v.toLowerCase() === value.toLowerCase())) list.push(value);
  r.res.setHeader('Vary', list.join(', '));
}

function appendCookie(r: DemoRequest, cookie: string): void {
  const prev = r.res.getHeader('Set-Cookie');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev : [String(prev)];
  r.res.setHeader('Set-Cookie', [...list, cookie]);
}

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>shipgate demo target</title><script src="/app.js" defer></script></head>
<body>
<h1>shipgate demo target</h1>
<p>A small reference deployment: <a href="/health">/health</a>, <a href="/ready">/ready</a>, <a href="/api/echo">/api/echo</a>.</p>
<p>Pages: <a href="/live">the live list</a>, <a href="/login">sign in</a>.</p>
</body>
</html>
`;

export const security: DemoModule = {
  flaws: {
    'cors-reflect-origin': 'CORS echoes any Origin back with credentials (cors({ origin: true }))',
    'cors-null-origin': 'CORS also allows Origin: null',
    'cors-suffix-match': 'CORS allows any origin ending in app.example.com (e.g. https://evilapp.example.com)',
    'hsts-missing': 'no Strict-Transport-Security header',
    'csp-unsafe-inline': "the CSP allows 'unsafe-inline' in script-src",
    'stack-trace-leak': 'error responses include the stack trace (a development-mode error handler)',
  },
  install(app: DemoApp, flaws) {
    // Strict headers first, on every response (errors and 404s included).
    app.use(async (r, next) => {
      for (const [k, v] of Object.entries(STRICT_HEADERS)) {
        if (k === 'Strict-Transport-Security' && flaws.has('hsts-missing')) continue;
        r.res.setHeader(k, v);
      }
      r.res.setHeader('Content-Security-Policy', flaws.has('csp-unsafe-inline') ? UNSAFE_CSP : DEMO_CSP);
      await next();
    });

    // CORS: the answer depends on the Origin, so every response varies on it; preflights end here.
    app.use(async (r, next) => {
      appendVary(r, 'Origin');
      const origin = r.req.headers.origin;
      const allowed = typeof origin === 'string' && originAllowed(origin, flaws);
      if (allowed) {
        r.res.setHeader('Access-Control-Allow-Origin', origin);
        r.res.setHeader('Access-Control-Allow-Credentials', 'true');
        r.res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
      }
      if (r.method === 'OPTIONS' && origin !== undefined && r.req.headers['access-control-request-method'] !== undefined) {
        if (allowed) {
          r.res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
          r.res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
          r.res.setHeader('Access-Control-Max-Age', '600');
        }
        r.res.statusCode = 204;
        r.res.end();
        return;
      }
      await next();
    });

    // A session-style cookie on the front page, with every flag a session cookie should have.
    app.use(async (r, next) => {
      if (r.method === 'GET' && r.url.pathname === '/')
        appendCookie(r, `demo_session=${randomBytes(16).toString('hex')}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=3600`);
      await next();
    });

    if (flaws.has('stack-trace-leak')) {
      // Like Express in development: the body parser throws on bad JSON and the error handler sends err.stack.
      app.errorBody = (err, r) => ({ ...problemBody(500, 'Internal Server Error', err.message, r.requestId), stack: err.stack });
      app.use(async (r, next) => {
        const type = String(r.req.headers['content-type'] ?? '');
        if (r.url.pathname.startsWith('/api/') && /json/i.test(type) && ['POST', 'PUT', 'PATCH'].includes(r.method)) {
          try {
            JSON.parse(await r.body());
          } catch (err) {
            sendJson(
              r.res,
              400,
              { ...problemBody(400, 'Bad Request', (err as Error).message, r.requestId), stack: (err as Error).stack },
              'application/problem+json',
            );
            return;
          }
        }
        await next();
      });
    }

    if (!app.hasPath('/')) {
      app.route('GET', '/', (r) => {
        r.res.statusCode = 200;
        r.res.setHeader('Content-Type', 'text/html; charset=utf-8');
        r.res.setHeader('Content-Length', Buffer.byteLength(INDEX_HTML));
        r.res.end(r.method === 'HEAD' ? undefined : INDEX_HTML);
      });
    }
    app.route('GET', '/api/echo', (r) =>
      sendJson(r.res, 200, { echo: null, hint: 'POST a JSON body to have it echoed', requestId: r.requestId }),
    );
    app.route('POST', '/api/echo', async (r) => {
      const body = await r.json();
      if (body === undefined) return; // malformed: a 400 problem response was sent
      sendJson(r.res, 200, { echo: body, requestId: r.requestId });
    });
  },
};
