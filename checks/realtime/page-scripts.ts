// Scripts that run inside the pages, as source text. They are strings on purpose: a function passed
// to page.evaluate() is serialized from its compiled form, and test runners (tsx/esbuild) inject
// helpers such as __name into it that do not exist in the page.
//
// Every timestamp is Date.now() inside a page: the two contexts live in one browser on one machine,
// so A's action time and B's observation time are read from the same clock.
import type { Observation } from './schema.js';

const call = (source: string, arg: unknown) => `(${source})(${JSON.stringify(arg)})`;

/**
 * Installed in A before any page script: the first trusted user event (click, key, submit, input)
 * after the trigger step is armed is the moment the action happened, not when Playwright was asked.
 */
export const ACTION_STAMP_INIT = `(function () {
  if (window.__shipgateAction) return;
  var state = { armed: false, at: null };
  Object.defineProperty(window, '__shipgateAction', { value: state });
  ['click', 'keydown', 'submit', 'input', 'change'].forEach(function (type) {
    window.addEventListener(type, function () {
      if (state.armed && state.at === null) state.at = Date.now();
    }, true);
  });
})();`;

export const ARM_ACTION = `(function () {
  var s = window.__shipgateAction;
  if (!s) return false;
  s.armed = true;
  s.at = null;
  return true;
})()`;

export const READ_ACTION = `(function () {
  var s = window.__shipgateAction;
  if (!s) return null;
  s.armed = false;
  return s.at;
})()`;

/** A request step: fetch from A's page (its cookies, its origin); the clock starts right before fetch. */
export function fetchInPage(req: {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}): string {
  return call(
    `function (req) {
      var at = Date.now();
      var signal = AbortSignal.timeout(req.timeoutMs);
      return fetch(req.url, { method: req.method, headers: req.headers, body: req.body, credentials: 'include', signal: signal }).then(
        function (res) { return res.text().then(function (text) { return { at: at, status: res.status, body: text.slice(0, 500) }; }); },
        function (err) { return { at: at, error: signal.aborted ? 'no answer within ' + req.timeoutMs + 'ms (timeouts.step)' : String((err && err.message) || err) }; }
      );
    }`,
    req,
  );
}

/**
 * Installed in B before A acts: a MutationObserver records the moment the expected text (or count
 * change) appears. Returns the element count at installation (the baseline of a count observation).
 */
export function installWatch(observe: Observation, marker: string): string {
  const arg =
    'text' in observe
      ? { selector: observe.selector, text: observe.text.split('{marker}').join(marker) }
      : { selector: observe.selector, count: observe.count };
  return call(
    `function (o) {
      var count = function () { return document.querySelectorAll(o.selector).length; };
      var baseline = count();
      var done = o.text !== undefined
        ? function () {
            var els = document.querySelectorAll(o.selector);
            for (var i = 0; i < els.length; i++) if ((els[i].textContent || '').indexOf(o.text) >= 0) return true;
            return false;
          }
        : function () { return o.count > 0 ? count() >= baseline + o.count : count() <= baseline + o.count; };
      var watch = { at: null, stop: function () {} };
      watch.promise = new Promise(function (resolve) {
        if (done()) { watch.at = Date.now(); return resolve(watch.at); }
        var observer = new MutationObserver(function () {
          if (watch.at === null && done()) { watch.at = Date.now(); observer.disconnect(); resolve(watch.at); }
        });
        observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
        watch.stop = function () { observer.disconnect(); resolve(null); };
      });
      window.__shipgateWatch = watch;
      return baseline;
    }`,
    arg,
  );
}

/** Waits in B up to `ms` for the watch; resolves to the observation time or null. */
export function awaitWatch(ms: number): string {
  return call(
    `function (ms) {
      var w = window.__shipgateWatch;
      if (!w) return null;
      if (w.at !== null || ms <= 0) return w.at;
      return Promise.race([w.promise, new Promise(function (r) { setTimeout(function () { r(null); }, ms); })]);
    }`,
    ms,
  );
}

export const STOP_WATCH = `(function () { var w = window.__shipgateWatch; if (w) w.stop(); return w ? w.at : null; })()`;

/** One change of a burst, as the page performs it: fill and click on elements, or a fetch. */
export type BurstStep =
  | { kind: 'fill'; selector: string; value: string }
  | { kind: 'click'; selector: string }
  | { kind: 'request'; url: string; method: string; headers: Record<string, string>; body?: string };

/**
 * A's burst, inside A's page: each change's steps run synchronously (a value set through the element's
 * own setter, so frameworks' controlled inputs see it, then input/change events; a click), the changes
 * `gapMs` apart — closer together than Playwright's round trips per step could make them. Resolves to the
 * time of each change, or throws naming a selector that matched nothing.
 */
export function burstInPage(changes: BurstStep[][], gapMs: number): string {
  return call(
    `function (b) {
      var setValue = function (el, v) {
        var d = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value');
        if (d && d.set) d.set.call(el, v); else el.value = v;
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      };
      var find = function (selector) {
        var el = document.querySelector(selector);
        if (!el) throw new Error('nothing matches ' + JSON.stringify(selector));
        return el;
      };
      var times = [];
      var run = function (steps) {
        times.push(Date.now());
        steps.forEach(function (s) {
          if (s.kind === 'fill') setValue(find(s.selector), s.value);
          else if (s.kind === 'click') find(s.selector).click();
          else fetch(s.url, { method: s.method, headers: s.headers, body: s.body, credentials: 'include' }).catch(function () {});
        });
      };
      return b.changes.reduce(function (p, steps, i) {
        return p.then(function () { return new Promise(function (r) { setTimeout(r, i ? b.gapMs : 0); }); }).then(function () { run(steps); });
      }, Promise.resolve()).then(function () { return times; });
    }`,
    { changes, gapMs },
  );
}

/** B's watch for several markers at once: the time each one appeared, or null. */
export function installBurstWatch(selector: string, texts: string[]): string {
  return call(
    `function (o) {
      var seen = o.texts.map(function () { return null; });
      var check = function () {
        var els = document.querySelectorAll(o.selector);
        o.texts.forEach(function (t, i) {
          if (seen[i] !== null) return;
          for (var j = 0; j < els.length; j++) if ((els[j].textContent || '').indexOf(t) >= 0) { seen[i] = Date.now(); return; }
        });
      };
      check();
      var observer = new MutationObserver(check);
      observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
      window.__shipgateBurst = { seen: seen, stop: function () { observer.disconnect(); } };
      return true;
    }`,
    { selector, texts },
  );
}

export const READ_BURST = `(function () { var b = window.__shipgateBurst; return b ? b.seen.slice() : null; })()`;
export const STOP_BURST = `(function () { var b = window.__shipgateBurst; if (b) b.stop(); return b ? b.seen.slice() : null; })()`;

/**
 * Installed in B before any page script: notes every EventSource and WebSocket the page opens and the
 * messages they carry (bounded), so a missed change can be placed — the stream never opened, the message
 * never reached the page (not sent, or held back by a buffering proxy), or it arrived and was not rendered.
 */
export const STREAM_SPY_INIT = `(function () {
  if (window.__shipgateStreams) return;
  var streams = [];
  Object.defineProperty(window, '__shipgateStreams', { value: streams });
  var note = function (s, data) {
    s.messages++;
    s.recent.push(String(data).slice(0, 2000));
    if (s.recent.length > 50) s.recent.shift();
  };
  var wrap = function (Native, kind) {
    if (typeof Native !== 'function') return;
    var Wrapped = function (url, opts) {
      var inst = opts === undefined ? new Native(url) : new Native(url, opts);
      var s = { kind: kind, url: String(url).slice(0, 300), messages: 0, recent: [], inst: inst, types: {} };
      if (streams.length < 20) streams.push(s);
      inst.addEventListener('message', function (e) { note(s, e.data); });
      if (kind === 'EventSource') {
        var add = inst.addEventListener.bind(inst);
        inst.addEventListener = function (type, fn, o) {
          if (type !== 'message' && type !== 'open' && type !== 'error' && !s.types[type]) {
            s.types[type] = true;
            add(type, function (e) { note(s, e.data); });
          }
          return add(type, fn, o);
        };
      }
      return inst;
    };
    Wrapped.prototype = Native.prototype;
    ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(function (k) { if (k in Native) Wrapped[k] = Native[k]; });
    window[kind] = Wrapped;
  };
  wrap(window.EventSource, 'EventSource');
  wrap(window.WebSocket, 'WebSocket');
})();`;

/** B's streams as seen by the page: kind, url, state, message count, and whether a message carried `marker`. */
export function readStreams(marker: string): string {
  return call(
    `function (marker) {
      var names = { EventSource: ['connecting', 'open', 'closed'], WebSocket: ['connecting', 'open', 'closing', 'closed'] };
      return (window.__shipgateStreams || []).map(function (s) {
        return { kind: s.kind, url: s.url, state: names[s.kind][s.inst.readyState] || String(s.inst.readyState), messages: s.messages, carried: marker ? s.recent.some(function (d) { return d.indexOf(marker) >= 0; }) : false };
      });
    }`,
    marker,
  );
}
