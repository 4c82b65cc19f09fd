// The `gates.security` profile section: which paths to audit, the CORS allowlist, HSTS expectations,
// the error format and the minimum grade. Everything is validated here, before any traffic.
import { z } from 'zod';
import { httpsRedirectSchema, tlsSchema } from './tls-schema.js';
import { describe, urlPath } from '../../src/profile/fields.js';
import { GRADES, type Grade } from './scale.js';

/** A serialized origin: scheme://host[:port], nothing more (no path, no trailing slash). */
const origin = () =>
  z
    .string({ error: (iss) => `expected an origin like "https://app.example.com", got ${describe(iss.input)}` })
    .superRefine((s, ctx) => {
      if (s === 'null') {
        ctx.addIssue({
          code: 'custom',
          message: 'the "null" origin must never be allowed: sandboxed iframes, file: pages and data: URLs all send it',
        });
        return;
      }
      let u: URL;
      try {
        u = new URL(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: `expected an origin like "https://app.example.com", got ${describe(s)}` });
        return;
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        ctx.addIssue({ code: 'custom', message: `expected an http(s) origin, got ${describe(s)}` });
      else if (u.origin !== s)
        ctx.addIssue({
          code: 'custom',
          message: `expected a bare origin (scheme://host[:port], lower case, no path or trailing slash): write "${u.origin}" instead of ${describe(s)}`,
        });
    });

const headerName = () =>
  z
    .string()
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: (iss) => `expected an HTTP header name, got ${describe(iss.input)}` });

const preflightSchema = z
  .strictObject({
    method: z
      .string()
      .regex(/^[A-Z]+$/, { error: 'expected an upper-case HTTP method like "PUT"' })
      .default('POST')
      .describe('Access-Control-Request-Method sent in the preflight'),
    headers: z
      .array(headerName())
      .default(['content-type'])
      .describe('Access-Control-Request-Headers sent in the preflight (each must be allowed for the allowed origins)'),
  })
  .describe('The preflight (OPTIONS) request sent for every origin; false to send simple requests only');

const corsSchema = z
  .strictObject({
    allowedOrigins: z
      .array(origin())
      .default([])
      .describe('Origins that must be allowed, exactly (e.g. https://app.example.com); every other origin must be refused'),
    credentials: z.boolean().default(false).describe('Whether the allowed origins get Access-Control-Allow-Credentials: true'),
    allowSubdomains: z
      .boolean()
      .default(false)
      .describe('Whether subdomains of the allowed origins may be allowed too (turns off the any-subdomain check)'),
    paths: z
      .array(urlPath())
      .min(1)
      .optional()
      .describe(
        'Paths probed for CORS with every origin; default: the first of gates.security.paths under each top-level segment (/api/a stands for /api/b)',
      ),
    preflight: z
      .union([z.literal(false), preflightSchema.prefault({})])
      .default({ method: 'POST', headers: ['content-type'] })
      .describe('The preflight request; false to skip preflights'),
  })
  .prefault({})
  .describe('Active CORS probing: the allowed origins, and origins derived from them that must be refused');

const hstsSchema = z
  .strictObject({
    required: z
      .boolean()
      .optional()
      .describe('Require the Strict-Transport-Security header; default: only when the target is https'),
    minMaxAge: z
      .number()
      .int()
      .min(0)
      .default(15_768_000)
      .describe('Minimum max-age in seconds (default six months, the Observatory threshold)'),
    includeSubDomains: z.boolean().default(true).describe('Require the includeSubDomains directive'),
  })
  .prefault({})
  .describe('What the Strict-Transport-Security header must say');

const cookiesSchema = z
  .strictObject({
    sessionNames: z
      .array(z.string().min(1))
      .default(['sess', 'sid', 'token', 'auth', 'refresh', 'login', 'jwt'])
      .describe('Cookie names containing any of these (case-insensitive) are session/refresh cookies and must be HttpOnly'),
  })
  .prefault({})
  .describe('Set-Cookie audit of every cookie seen');

const errorsSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Probe error responses (unknown route, malformed JSON)'),
    notFoundPath: urlPath()
      .default('/shipgate-no-such-route')
      .describe('A path that does not exist (put it under your API prefix if unknown paths serve an SPA)'),
    apiPath: urlPath().default('/api').describe('An API path that takes a JSON body; a malformed body is sent to it'),
    method: z
      .string()
      .regex(/^[A-Z]+$/, { error: 'expected an upper-case HTTP method like "POST"' })
      .default('POST')
      .describe('Method of the malformed-JSON request'),
    requiredFields: z
      .array(z.string().min(1))
      .default(['title', 'status', 'detail'])
      .describe('Fields every JSON error must have (RFC 9457 problem details by default)'),
    requestIdFields: z
      .array(z.string().min(1))
      .default(['requestId', 'request_id', 'traceId', 'correlationId'])
      .describe('Body fields that can carry the request id (one must be present); empty to not require one'),
    doors: z
      .boolean()
      .default(true)
      .describe(
        'Also probe every JSON endpoint the profile names (login, refresh, load endpoints with a body, realtime publish) with a malformed body, the wrong content type, an oversized body and the wrong method, without and with the auth token',
      ),
    oversizeBytes: z
      .number()
      .int()
      .min(0)
      .max(16 * 1024 * 1024)
      .default(1_049_600)
      .describe(
        'Size of the oversized body (default 1 MiB + 1 KiB, above Express/Fastify/nginx defaults); 0 leaves that probe out',
      ),
    requestIdHeader: z
      .string()
      .default('X-Request-Id')
      .describe('Response header carrying the request id, echoed when the client sends one; empty to skip'),
  })
  .prefault({})
  .describe('Error hygiene: JSON errors in a fixed shape, no stack traces, request ids');

const exposureSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Probe for sensitive files and debug surfaces (dotenv, VCS metadata, source maps, debug/admin endpoints, backups)',
      ),
    extraPaths: z
      .array(urlPath())
      .default([])
      .describe(
        "More paths that must not be served (judged under security.exposure.debug: a 2xx answer unlike a random path's fails)",
      ),
    allow: z
      .array(urlPath())
      .default([])
      .describe('Paths served on purpose, never probed (exact, or everything under one ending in "/")'),
    maxScripts: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(10)
      .describe('Same-origin scripts of the audited HTML pages followed for source maps'),
  })
  .prefault({})
  .describe('Exposure audit: files and debug surfaces a production deployment must not serve');

const gradeSchema = z.enum(GRADES as unknown as [Grade, ...Grade[]]);

export const securitySchema = z
  .strictObject({
    paths: z.array(urlPath()).min(1).default(['/', '/api']).describe('Paths whose headers and CORS behaviour are audited'),
    concurrency: z.number().int().min(1).max(256).default(32).describe('Requests in flight at once (one keep-alive pool)'),
    minGrade: gradeSchema.default('B').describe('Lowest acceptable Observatory-style grade of any audited path'),
    cors: corsSchema,
    hsts: hstsSchema,
    cookies: cookiesSchema,
    errors: errorsSchema,
    exposure: exposureSchema,
    tls: tlsSchema,
    httpsRedirect: httpsRedirectSchema,
  })
  // No .prefault({}) here: the registry wraps each gate's schema in .optional(), and zod 4 would then
  // apply the default to an absent section, switching the gate on in every profile. `security: {}` works.
  .describe('The security gate: CORS, security headers, cookies and error hygiene');

export type SecurityConfig = z.output<typeof securitySchema>;
export type ExposureConfig = SecurityConfig['exposure'];
