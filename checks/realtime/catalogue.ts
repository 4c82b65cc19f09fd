import { INSTALL_HINT } from '../../src/browser/hint.js';
import { defineCheck } from '../../src/check.js';

export const browser = defineCheck({
  id: 'realtime.browser',
  title: 'A Chromium browser is available and starts',
  severity: 'high',
  rationale:
    'Real-time sync is judged the way users see it, in two real browser contexts; without a browser that cannot be decided.',
  remediation: `Make a Chromium or Chrome available to shipgate: ${INSTALL_HINT}. Where no browser can exist (a scheduled smoke check), use mode: sse or mode: websocket.`,
  tunedBy: ['gates.realtime.browser', 'gates.realtime.timeouts.launch'],
});

export const sync = defineCheck({
  id: 'realtime.sync',
  title: 'A change in one client appears in another, independent client',
  severity: 'critical',
  rationale:
    'Two users (or one user with two tabs) must see the same state; a change that reaches only the client that made it leaves everyone else working on stale data until they reload.',
  remediation:
    'Broadcast every change to all subscribers of the resource, not only to the connection that made it. With several app instances, fan out through a shared bus (Redis pub/sub, Postgres LISTEN/NOTIFY, NATS). Make sure nothing buffers the stream: nginx `proxy_buffering off` (or `X-Accel-Buffering: no`) for text/event-stream, `proxy_http_version 1.1` with `Upgrade`/`Connection` headers for WebSockets, and Express `compression()` skipped or flushed (`res.flush()`) for event streams.',
  tunedBy: [
    'gates.realtime.action',
    'gates.realtime.observe',
    'gates.realtime.ready',
    'gates.realtime.rounds',
    'gates.realtime.timeouts.round',
  ],
});

export const latency = defineCheck({
  id: 'realtime.latency',
  title: 'Propagation latency is within the threshold',
  severity: 'high',
  rationale:
    "A live view that lags by seconds invites double edits and conflicting actions; the latency users see is the time from one client's action to the other client's screen.",
  remediation:
    'Push on write instead of polling or batching on a timer; publish the event right after the change commits; send each SSE event with a flush (Express: `res.flush()` under compression; Fastify: write to `reply.raw`); turn off proxy buffering for the stream (nginx `proxy_buffering off`); keep the handler that broadcasts free of slow work (do it after the broadcast).',
  tunedBy: ['gates.realtime.latency', 'gates.realtime.rounds'],
});

export const reconnect = defineCheck({
  id: 'realtime.reconnect',
  title: 'A client that was offline catches up when it comes back',
  severity: 'high',
  rationale:
    'Connections drop (Wi-Fi, laptop lid, proxy idle timeouts); a client that does not catch up after reconnecting shows stale data with no sign that it is stale.',
  remediation:
    'Catch up after every reconnect: send `id:` with each SSE event and replay what came after the `Last-Event-ID` request header, or refetch the state when the EventSource/WebSocket opens again and on the window `online` event. Reconnect WebSockets with backoff (they do not reconnect on their own).',
  tunedBy: ['gates.realtime.reconnect', 'gates.realtime.timeouts.offline', 'gates.realtime.timeouts.round'],
});

export const burst = defineCheck({
  id: 'realtime.burst',
  title: 'Changes made back to back all reach the other client',
  severity: 'high',
  rationale:
    'Real users and scripts make several changes within milliseconds (a paste, a bulk action, two people at once); a throttle or debounce on the push side that keeps only the first (or the last) of them leaves the other clients silently out of date, and spaced-out rounds never show it.',
  remediation:
    'Push every change: do not throttle or debounce broadcasts per resource, or if you must coalesce, send the coalesced state (all changes) at the trailing edge rather than dropping events. Make the client apply every event it receives (no "ignore while busy"), and have it refetch when it cannot keep up.',
  tunedBy: ['gates.realtime.burst', 'gates.realtime.timeouts.spacing', 'gates.realtime.timeouts.round'],
});

export const browserStorage = defineCheck({
  id: 'realtime.browser-storage',
  title: 'No token is readable by page scripts in the realtime clients',
  severity: 'high',
  rationale:
    'A token in localStorage, sessionStorage or a cookie without HttpOnly is readable by any script on the page: one XSS, one compromised dependency or browser extension, and the session is stolen. This looks into the very contexts the realtime gate used, so a page that signs in or fetches a token from script is caught even without a login form (auth.browser-storage looks after a form login).',
  remediation:
    'Keep the access token in memory only (a variable in a closure or module), the refresh token in an HttpOnly, Secure, SameSite cookie; for a stream that needs credentials, rely on the cookie or a short-lived ticket used once, not a stored JWT.',
  tunedBy: ['gates.realtime.inspectStorage'],
});

export const catalogue = [browser, sync, latency, reconnect, burst, browserStorage];
