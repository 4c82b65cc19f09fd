// The realtime gate's declarative steps, parsed once at profile load:
//
//   - goto: /live                          open a page (path or absolute URL)
//   - fill: '#new-item'                    type into a field
//     value: '{marker}'
//   - click: '#add'
//   - press: '#new-item'                   press a key in a field
//     key: Enter
//   - waitFor: '#items'                    wait until an element is visible
//   - request:                             an HTTP call made from A's page (its cookies, its origin)
//       method: POST
//       url: /api/items
//       json: { text: '{marker}' }
//
// `{marker}` is replaced by a fresh random marker every round; `{clientId}` (protocol mode) by the
// subscriber's generated client id.
import { z } from 'zod';
import { describe } from '../../src/profile/fields.js';
import { closest } from '../../src/profile/suggest.js';

export interface RequestSpec {
  method: string;
  /** A path (resolved against target.baseUrl) or an absolute URL; may contain placeholders. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export type Step =
  | { kind: 'goto'; url: string }
  | { kind: 'fill'; selector: string; value: string }
  | { kind: 'click'; selector: string }
  | { kind: 'press'; selector: string; key: string }
  | { kind: 'waitFor'; selector: string }
  | { kind: 'request'; request: RequestSpec };

const selector = () =>
  z
    .string({ error: (iss) => `expected a CSS selector like "#add", got ${describe(iss.input)}` })
    .min(1, { error: 'expected a CSS selector, got an empty string' });

/** A path like "/live" or an absolute http(s) URL. */
export const pathOrUrl = () =>
  z
    .string({ error: (iss) => `expected a path like "/live" or an http(s) URL, got ${describe(iss.input)}` })
    .refine((s) => s.startsWith('/') || /^https?:\/\//i.test(s), {
      error: (iss) => `expected a path starting with "/" or an absolute http(s) URL, got ${describe(iss.input)}`,
    });

export const requestSchema = z
  .strictObject({
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, { error: 'expected an HTTP method like POST' })
      .optional()
      .describe('HTTP method; POST when a body is given, else GET'),
    url: pathOrUrl().describe('Path (resolved against target.baseUrl) or absolute URL; may contain {marker}'),
    headers: z.record(z.string(), z.string()).default({}).describe('Request headers; values may contain {marker} and {clientId}'),
    body: z.string().optional().describe('Raw request body; may contain {marker}'),
    json: z.unknown().optional().describe('A JSON body (sent with Content-Type: application/json); strings may contain {marker}'),
  })
  .refine((r) => r.body === undefined || r.json === undefined, { error: 'give either body or json, not both' })
  .transform((r): RequestSpec => {
    const headers = { ...r.headers };
    let body = r.body;
    if (r.json !== undefined) {
      body = JSON.stringify(r.json);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    return { method: (r.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase(), url: r.url, headers, body };
  });

const STEP_SCHEMAS = {
  goto: z.strictObject({ goto: pathOrUrl() }),
  fill: z.strictObject({
    fill: selector(),
    value: z.string({ error: 'expected the text to type (a string; may contain {marker})' }),
  }),
  click: z.strictObject({ click: selector() }),
  press: z.strictObject({ press: selector(), key: z.string({ error: 'expected a key name like "Enter"' }).min(1) }),
  waitFor: z.strictObject({ waitFor: selector() }),
  request: z.strictObject({ request: requestSchema }),
} as const;

export const STEP_KINDS = Object.keys(STEP_SCHEMAS) as (keyof typeof STEP_SCHEMAS)[];

const EXAMPLE = 'e.g. {click: "#add"} or {fill: "#new-item", value: "{marker}"}';

/** What `shipgate schema` shows editors for a step (parsing itself goes through the transform below, for clearer messages). */
const stepJsonSchema = {
  description: 'One step: goto, fill (+ value), click, press (+ key), waitFor or request',
  oneOf: STEP_KINDS.map((k) => {
    const { $schema: _drop, ...rest } = z.toJSONSchema(STEP_SCHEMAS[k], { io: 'input' });
    return rest;
  }),
};

/** One step; the kind is the one key among goto, fill, click, press, waitFor, request. */
export const stepSchema = z
  .unknown()
  .meta(stepJsonSchema)
  .transform((input, ctx): Step => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a step (${STEP_KINDS.join(', ')}), ${EXAMPLE}; got ${describe(input)}`,
        input,
      });
      return z.NEVER;
    }
    const keys = Object.keys(input);
    const kinds = keys.filter((k): k is keyof typeof STEP_SCHEMAS => Object.hasOwn(STEP_SCHEMAS, k));
    if (kinds.length !== 1) {
      const hint = kinds.length === 0 ? keys.map((k) => closest(k, STEP_KINDS)).find(Boolean) : undefined;
      const message =
        kinds.length === 0
          ? `expected a step with one of ${STEP_KINDS.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}; got keys ${keys.map((k) => `"${k}"`).join(', ') || 'none'}`
          : `a step does one thing; this one has ${kinds.map((k) => `"${k}"`).join(' and ')}`;
      ctx.addIssue({ code: 'custom', message, input });
      return z.NEVER;
    }
    const kind = kinds[0];
    const parsed = STEP_SCHEMAS[kind].safeParse(input, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
      return z.NEVER;
    }
    const v = parsed.data as Record<string, any>;
    switch (kind) {
      case 'goto':
        return { kind, url: v.goto };
      case 'fill':
        return { kind, selector: v.fill, value: v.value };
      case 'click':
        return { kind, selector: v.click };
      case 'press':
        return { kind, selector: v.press, key: v.key };
      case 'waitFor':
        return { kind, selector: v.waitFor };
      case 'request':
        return { kind, request: v.request };
    }
  });

/** A step as a person wrote it, for messages: `click "#add"`. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'goto':
      return `goto ${step.url}`;
    case 'fill':
      return `fill ${JSON.stringify(step.selector)} with ${JSON.stringify(step.value)}`;
    case 'click':
      return `click ${JSON.stringify(step.selector)}`;
    case 'press':
      return `press ${step.key} in ${JSON.stringify(step.selector)}`;
    case 'waitFor':
      return `waitFor ${JSON.stringify(step.selector)}`;
    case 'request':
      return `request ${step.request.method} ${step.request.url}`;
  }
}

export interface Placeholders {
  marker?: string;
  clientId?: string;
}

/** Replaces {marker} and {clientId}; every other brace (JSON bodies) is left alone. */
export function substitute(text: string, vars: Placeholders): string {
  return text.replace(/\{(marker|clientId)\}/g, (whole, name: keyof Placeholders) => vars[name] ?? whole);
}

export function substituteRequest(r: RequestSpec, vars: Placeholders): RequestSpec {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k] = substitute(v, vars);
  return {
    method: r.method,
    url: substitute(r.url, vars),
    headers,
    body: r.body === undefined ? undefined : substitute(r.body, vars),
  };
}

export function substituteStep(step: Step, vars: Placeholders): Step {
  switch (step.kind) {
    case 'goto':
      return { ...step, url: substitute(step.url, vars) };
    case 'fill':
      return { ...step, selector: substitute(step.selector, vars), value: substitute(step.value, vars) };
    case 'click':
    case 'press':
    case 'waitFor':
      return { ...step, selector: substitute(step.selector, vars) };
    case 'request':
      return { ...step, request: substituteRequest(step.request, vars) };
  }
}

/** Whether a step (or request) mentions {marker} anywhere, so each round's change is unique. */
export function usesMarker(x: Step | RequestSpec): boolean {
  return JSON.stringify(x).includes('{marker}');
}
