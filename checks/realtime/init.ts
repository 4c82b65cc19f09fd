// The realtime gate's part of `shipgate init`: look for EventSource / WebSocket use in the scripts of the
// home page and the pages it links, guess the page's input, button and list; write the section commented
// out (the gate adds data through the page, so a person decides).
import type { InitHook, SummaryRow } from '../../src/init/hook.js';
import { mediaType } from '../../src/init/prober.js';
import { q } from '../../src/init/yaml.js';
import { probeRealtime, type RealtimeFindings } from './init-discover.js';

export const init: InitHook<RealtimeFindings> = {
  async discover({ prober, home, progress }) {
    progress('real-time streams linked from the home page');
    const html = home.res && mediaType(home.res) === 'text/html' ? { path: '/', html: home.res.body } : undefined;
    return probeRealtime(prober, html);
  },
  render(found) {
    const f = found ?? { pages: [], streams: [] };
    const lines: string[] = [];
    const todos: string[] = [];
    section(f, lines, (s) => todos.push(s));
    return { lines, todos, summary: summary(f), active: false };
  },
};

function section(found: RealtimeFindings, out: string[], todo: (s: string) => void): void {
  const { streams, guess } = found;
  const st = streams[0];
  if (!st) {
    out.push(
      `  # TODO realtime: no EventSource or WebSocket found in the scripts of ${found.pages.length ? found.pages.join(', ') : 'the home page'}.`,
      '  # If the app has live updates, describe them (see README, ### realtime) and uncomment:',
      '  # realtime:',
      '  #   page: /TODO',
      "  #   action: [{ fill: '#TODO', value: 'shipgate {marker}' }, { click: '#TODO' }]",
      "  #   observe: { selector: '#TODO li', text: 'shipgate {marker}' }",
    );
    todo('realtime: no live endpoint found (section commented out)');
    return;
  }
  const kind = st.kind === 'sse' ? 'a Server-Sent Events stream' : 'a WebSocket';
  const state = st.confirmed
    ? st.kind === 'sse'
      ? 'it answered as an event stream'
      : 'its handshake succeeded'
    : `not confirmed: ${st.note ?? 'no answer'}`;
  out.push(
    `  # TODO realtime: init found ${kind} at ${st.url} (opened by ${st.script === 'inline' ? 'an inline script' : st.script} on the page ${st.page}; ${state}).`,
    ...streams
      .slice(1)
      .map((s) => `  # Also found: ${s.kind === 'sse' ? 'SSE' : 'WebSocket'} ${s.url} (${s.script} on ${s.page}).`),
    '  # The selectors below are guesses from the page; check what one client does and what a second one must',
    '  # see, then uncomment. The gate adds data through the page, so keep it out of scheduled production runs.',
    '  # realtime:',
    '  #   mode: browser',
    `  #   page: ${q(st.page)}`,
    '  #   # ready: \'[data-live="open"]\'    # optional: an element the page shows once its stream is open',
    '  #   action:',
    `  #     - fill: ${q(guess?.input ?? '#TODO')}`,
    "  #       value: 'shipgate {marker}'",
    `  #     - click: ${q(guess?.submit ?? '#TODO')}`,
    '  #   observe:',
    `  #     selector: ${q(guess?.list ?? '#TODO li')}`,
    "  #     text: 'shipgate {marker}'",
    '  #   rounds: 5',
    '  #   latency: p95 < 1s',
    `  # (Without a browser: mode: ${st.kind === 'sse' ? 'sse' : 'websocket'}, stream: ${st.url}, and a publish request that makes a change.)`,
  );
  todo(
    `realtime: steps for the page ${st.page} (${st.kind === 'sse' ? 'SSE' : 'WebSocket'} ${st.url} found; section commented out)`,
  );
}

function summary(f: RealtimeFindings): SummaryRow[] {
  const st = f.streams[0];
  return [
    st
      ? [
          'found',
          'realtime',
          `${st.kind === 'sse' ? 'SSE' : 'WebSocket'} ${st.url} (from ${st.script} on ${st.page})${st.confirmed ? '' : `, not confirmed: ${st.note}`}`,
        ]
      : ['missing', 'realtime', `no EventSource/WebSocket in the scripts of ${f.pages.length} page(s)`],
  ];
}
