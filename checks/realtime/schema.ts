// The realtime gate's profile section. Steps, observation and latency thresholds are parsed here,
// at profile load, so a mistake is a profile error with file:line:column, not a failed run.
import { z } from 'zod';
import { describe, duration } from '../../src/profile/fields.js';
import { parseThreshold, ThresholdSyntaxError, type Threshold } from './latency.js';
import { pathOrUrl, requestSchema, stepSchema, usesMarker } from './steps.js';

/** One threshold or a list; each parsed at load, so a typo is a profile error at its own position. */
const thresholds = z
  .union([z.string(), z.array(z.string()).min(1, { error: 'expected at least one threshold, e.g. ["p95 < 1s"]' })], {
    error: (iss) => `expected a threshold like "p95 < 1s" or a list of them, got ${describe(iss.input)}`,
  })
  .transform((input, ctx): Threshold[] => {
    const list = Array.isArray(input) ? input : [input];
    const out: Threshold[] = [];
    list.forEach((source, i) => {
      try {
        out.push(parseThreshold(source));
      } catch (err) {
        const message = err instanceof ThresholdSyntaxError ? err.message : String(err);
        ctx.addIssue({ code: 'custom', message, input: source, path: Array.isArray(input) ? [i] : [] });
      }
    });
    return out.length === list.length ? out : z.NEVER;
  });

const selector = (what: string) =>
  z.string({ error: (iss) => `expected a CSS selector ${what}, got ${describe(iss.input)}` }).min(1);

/** What B must show: an element containing the round's text, or a change in the number of elements. */
export type Observation = { selector: string; text: string } | { selector: string; count: number };

const observeSchema = z
  .strictObject({
    selector: selector('for the elements to watch in B').default('body').describe("Elements of B's page to watch (CSS selector)"),
    text: z
      .string()
      .optional()
      .describe('B must show an element matching `selector` whose text contains this; must contain {marker}'),
    count: z
      .number()
      .int()
      .refine((n) => n !== 0, { error: 'a count change of 0 is no change' })
      .optional()
      .describe('Instead of text: the number of elements matching `selector` must change by this much (e.g. 1)'),
  })
  .refine((o) => o.text === undefined || o.count === undefined, { error: 'observe either text or count, not both' })
  .refine((o) => o.text === undefined || o.text.includes('{marker}'), {
    error:
      'observe.text must contain {marker}, so B cannot be fooled by an item from an earlier round (to watch a number of elements, use observe.count)',
    path: ['text'],
  })
  .transform((o): Observation =>
    o.count === undefined ? { selector: o.selector, text: o.text ?? '{marker}' } : { selector: o.selector, count: o.count },
  )
  .prefault({});

const timeoutsSchema = z
  .strictObject({
    round: duration()
      .default(5_000)
      .describe("How long B has to show A's change (per round); a round not observed in time fails realtime.sync"),
    step: duration()
      .default(10_000)
      .describe('Deadline of each step (fill, click, press, waitFor, request) and of the ready element'),
    load: duration().default(30_000).describe('Deadline of each page load (the page, goto steps)'),
    launch: duration().default(30_000).describe('Deadline for starting the browser'),
    offline: duration().default(1_000).describe('Reconnect check: how long B stays offline while A makes its change'),
    spacing: duration()
      .default(250)
      .describe('Pause between the spaced rounds, so they stay apart from the burst (realtime.burst)'),
  })
  .prefault({});

export const realtimeSchema = z
  .strictObject({
    mode: z
      .enum(['browser', 'sse', 'websocket'])
      .default('browser')
      .describe('browser: two Chromium contexts through Playwright; sse / websocket: two protocol subscribers, no browser'),
    browser: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Chromium/Chrome executable (SHIPGATE_BROWSER overrides it); default: search the system, then Playwright's browsers, then the bundled Chromium",
      ),
    page: pathOrUrl().default('/').describe('Browser mode: the page both contexts open'),
    login: z
      .array(stepSchema)
      .default([])
      .describe('Browser mode: steps run in each context before the page is opened (e.g. a login form)'),
    ready: selector('that shows the page is live')
      .optional()
      .describe('Browser mode: both pages must show this element before the rounds start (e.g. a "connected" marker)'),
    action: z
      .array(stepSchema)
      .default([])
      .describe('Browser mode: what A does each round; the last step makes the change and starts the clock'),
    observe: observeSchema.describe('Browser mode: what B must show'),
    stream: z
      .string({
        error: (iss) => `expected the stream URL, a path like "/api/events" or an absolute URL, got ${describe(iss.input)}`,
      })
      .refine((u) => u.startsWith('/') || /^(https?|wss?):\/\//i.test(u), {
        error: (iss) => `expected a path starting with "/" or an http(s)/ws(s) URL, got ${describe(iss.input)}`,
      })
      .optional()
      .describe('Protocol mode: the SSE or WebSocket URL (path or absolute); may contain {clientId}'),
    event: z.string().min(1).default('message').describe('Protocol mode (sse): the event type to listen to'),
    publish: requestSchema
      .optional()
      .describe("Protocol mode: the HTTP request that makes the change; must contain {marker}; {clientId} is subscriber A's id"),
    rounds: z.number().int().min(1).max(100).default(5).describe('How many changes are made and timed'),
    latency: thresholds
      .default([parseThreshold('p95 < 1s')])
      .describe('Propagation latency thresholds, e.g. "p95 < 1s" or ["p50 < 200ms", "max < 2s"]'),
    inspectStorage: z
      .boolean()
      .default(true)
      .describe(
        "Browser mode: after the rounds, look for tokens in both contexts' localStorage, sessionStorage, IndexedDB and script-readable cookies (realtime.browser-storage)",
      ),
    burst: z
      .number()
      .int()
      .min(0)
      .max(5)
      .default(3)
      .describe(
        'After the rounds, this many changes are made back to back (a few ms apart) and the other client must show every one (realtime.burst); 0 or 1 turns it off',
      ),
    reconnect: z
      .boolean()
      .default(false)
      .describe('Browser mode: also check that B catches up on a change made while it was offline (realtime.reconnect)'),
    useAccessToken: z
      .boolean()
      .default(true)
      .describe("Send the auth gate's access token (when it has one) as a Bearer token with request steps, publish and streams"),
    timeouts: timeoutsSchema.describe('Deadlines of the realtime gate'),
  })
  .superRefine((c, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (c.mode === 'browser') {
      if (c.action.length === 0)
        issue(
          ['action'],
          'browser mode needs the steps A performs each round, e.g. [{fill: "#new-item", value: "{marker}"}, {click: "#add"}]',
        );
      else if ('text' in c.observe && !c.action.some(usesMarker))
        issue(
          ['action'],
          'no action step uses {marker}, so B could never show it; type it into the form (fill) or send it (request)',
        );
    } else {
      if (!c.stream) issue(['stream'], `${c.mode} mode needs the stream URL, e.g. stream: /api/events`);
      if (!c.publish)
        issue(
          ['publish'],
          `${c.mode} mode needs the request that makes a change, e.g. publish: {url: /api/items, json: {text: "{marker}"}}`,
        );
      else if (!usesMarker(c.publish))
        issue(
          ['publish'],
          "the publish request must contain {marker} (in url, headers or body), so each round's event can be told apart",
        );
      if (c.reconnect) issue(['reconnect'], 'the reconnect check needs a browser (mode: browser)');
    }
  });

export type RealtimeConfig = z.output<typeof realtimeSchema>;
