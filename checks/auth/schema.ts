import { z } from 'zod';
import { duration, urlPath } from '../../src/profile/fields.js';
import { JsonPathError, parseJsonPath } from '../../src/lang/json-path.js';

export const USERNAME_PLACEHOLDER = '{{username}}';
export const PASSWORD_PLACEHOLDER = '{{password}}';

/** A JSON path, parsed at profile load (the default goes through the parser too, so editors see a string). */
const jsonPath = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      try {
        return parseJsonPath(s);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof JsonPathError ? err.message : String(err) });
        return z.NEVER;
      }
    });

const endpoint = (method: string, path: string, what: string) =>
  z
    .strictObject({
      method: z
        .enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
        .default(method as 'POST')
        .describe(`HTTP method of the ${what}`),
      path: urlPath().default(path).describe(`Path of the ${what}`),
    })
    .prefault({});

/** Every string in a JSON template, for checking the placeholders are there. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

const loginSchema = z
  .strictObject({
    method: z.enum(['POST', 'PUT']).default('POST').describe('HTTP method of the login request'),
    path: urlPath().default('/api/auth/login').describe('Path of the login endpoint'),
    username: z.string().min(1).describe("The account shipgate logs in with (a test account, not a person's)"),
    password: z.string().min(1).describe('Its password; use ${secret:NAME} so it comes from the environment and is redacted'),
    body: z
      .record(z.string(), z.unknown())
      .default({ username: USERNAME_PLACEHOLDER, password: PASSWORD_PLACEHOLDER })
      .refine(
        (b) =>
          strings(b).some((s) => s.includes(USERNAME_PLACEHOLDER)) && strings(b).some((s) => s.includes(PASSWORD_PLACEHOLDER)),
        {
          message: `the login body template must contain "${USERNAME_PLACEHOLDER}" and "${PASSWORD_PLACEHOLDER}" (quoted in YAML), so shipgate can also send wrong credentials`,
        },
      )
      .describe(`JSON body template of the login request; "${USERNAME_PLACEHOLDER}" and "${PASSWORD_PLACEHOLDER}" are replaced`),
    headers: z.record(z.string(), z.string()).default({}).describe('Extra headers of the login request'),
  })
  .describe('The login request');

const rateLimitSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Send the burst of failed logins at all'),
    attempts: z.number().int().min(1).max(100).default(20).describe('At most this many failed logins are sent'),
    within: duration()
      .default(10_000)
      .refine((ms) => ms >= 100 && ms <= 60_000, { message: 'must be between 100ms and 60s' })
      .describe('Time bound of the burst'),
    // Required by default: the checklist treats a limit on failed logins as a release requirement (OWASP ASVS
    // V2.2.1), and a warning is what a CI stage ignores. A limiter that lives outside the tested path (a WAF in
    // front of production only) is the exception, and says so in the profile with required: false.
    required: z
      .boolean()
      .default(true)
      .describe(
        'A missing limiter fails the check (false: only a warning, e.g. when a WAF outside the tested path limits logins)',
      ),
    clientIpHeaders: z
      .array(z.string().regex(/^[A-Za-z0-9-]+$/, { error: 'a header name' }))
      .default(['X-Forwarded-For', 'X-Real-IP', 'Forwarded'])
      .describe(
        'Once the burst got 429, one more failed login per header, each claiming a new client address: a limiter that lets one through keys on a header the client chooses ([] turns this off)',
      ),
    skipInSuites: z
      .array(z.string())
      .default(['smoke'])
      .describe(
        'Suites (--suite) in which the burst is not sent: an address-keyed limiter would still block the next scheduled run',
      ),
    username: z
      .string()
      .min(1)
      .default('shipgate-burst-{random}')
      .describe('Throwaway username of the burst ("{random}" is replaced); never the real account, so it is never locked out'),
  })
  .prefault({})
  .describe('The burst of failed logins (auth.login-rate-limit); it runs after every other gate has finished');

const browserSchema = z
  .strictObject({
    page: urlPath().describe('The frontend page with the login form, e.g. /login'),
    userField: z.string().default('input[name=username]').describe('Selector of the username field'),
    passField: z.string().default('input[type=password]').describe('Selector of the password field'),
    submit: z.string().default('button[type=submit]').describe('Selector of the button that submits the form'),
    loggedIn: z.string().describe('Selector of an element that is visible once the page is logged in'),
    timeout: duration().default(15_000).describe('How long the login routine may take in the browser'),
    executable: z
      .string()
      .optional()
      .describe(
        'Chromium/Chrome to launch (SHIPGATE_BROWSER overrides it); default: the search in "Finding a browser" (system, Playwright, bundled)',
      ),
  })
  .describe(
    'Optional: a real browser logs in through the frontend, then localStorage/sessionStorage are searched for tokens (auth.browser-storage)',
  );

// Key names avoid "token", "cookie" and "password" where the value is not a secret: the profile loader
// redacts the values of such keys everywhere (refreshCookie: {name: …}, not refreshCookieName: …).
const accessTokenSchema = z
  .strictObject({
    jsonPath: jsonPath('accessToken').describe(
      'Where the access token is in the JSON body of login and refresh responses, e.g. accessToken or data.tokens.access',
    ),
    maxLifetime: duration()
      .default(15 * 60_000)
      .describe('Longest acceptable access-token lifetime (exp − iat)'),
    maxCustomClaims: z.number().int().min(0).default(5).describe('More non-standard JWT claims than this is a warning'),
  })
  .prefault({})
  .describe('The access token: where it is, and what it may look like');

const refreshCookieSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .optional()
      .describe('Name of the refresh cookie (default: the one cookie the login sets, or the one named like "refresh")'),
  })
  .prefault({})
  .describe('The refresh cookie');

export const authSchema = z.strictObject({
  login: loginSchema,
  accessToken: accessTokenSchema,
  refreshCookie: refreshCookieSchema,
  refresh: endpoint('POST', '/api/auth/refresh', 'refresh endpoint').describe(
    'The refresh endpoint (the refresh cookie is sent, nothing else)',
  ),
  logout: endpoint('POST', '/api/auth/logout', 'logout endpoint').describe('The logout endpoint'),
  protected: endpoint('GET', '/api/me', 'protected endpoint').describe('One endpoint that requires the access token'),
  rejectStatus: z
    .array(z.number().int().min(400).max(499))
    .min(1)
    .default([401])
    .describe('Statuses that count as "rejected" (401 unless your API answers otherwise)'),
  rateLimit: rateLimitSchema,
  browser: browserSchema.optional(),
});

export type AuthConfig = z.output<typeof authSchema>;
