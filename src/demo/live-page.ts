// The demo's live list page: HTML, stylesheet and script, each served from its own URL so a strict
// Content-Security-Policy (script-src 'self'; style-src 'self') holds: no inline script, style or handler.
// Kept as strings in a .ts module so they ship in dist/ with the compiled code.
// The script avoids template literals on purpose: it lives inside one.

export const LIVE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Live list · shipgate demo</title>
<link rel="icon" href="/live-icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/live.css">
<script src="/live.js" defer></script>
</head>
<body data-live="connecting">
<main>
  <h1>Live list</h1>
  <p id="status" role="status">connecting…</p>
  <form id="add-form" autocomplete="off">
    <label for="item-text">New item</label>
    <input id="item-text" name="text" maxlength="200" required>
    <button id="add" type="submit">Add</button>
  </form>
  <ul id="items" aria-live="polite"></ul>
</main>
</body>
</html>
`;

export const LIVE_CSS = `body { font-family: system-ui, sans-serif; margin: 2rem; color: #1d2327; }
main { max-width: 40rem; }
#status { color: #555; }
body[data-live="open"] #status { color: #0a7d32; }
body[data-live="reconnecting"] #status, body[data-live="closed"] #status { color: #b32d2e; }
form { display: flex; gap: .5rem; align-items: center; margin: 1rem 0; }
input { flex: 1; padding: .3rem; }
#items li { padding: .2rem 0; border-bottom: 1px solid #eee; }
`;

export const LIVE_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="6" fill="#0a7d32"/></svg>`;

export const LIVE_JS = `// shipgate demo: the live list. Items arrive over Server-Sent Events (or a WebSocket with ?transport=ws).
(function () {
  'use strict';
  var clientId = (window.crypto && typeof crypto.randomUUID === 'function')
    ? crypto.randomUUID()
    : Math.random().toString(36).slice(2) + Date.now().toString(36);
  var transport = new URLSearchParams(location.search).get('transport') === 'ws' ? 'ws' : 'sse';
  var list = document.getElementById('items');
  var form = document.getElementById('add-form');
  var input = document.getElementById('item-text');
  var status = document.getElementById('status');
  var shown = new Set();
  var connection = null;
  var retryTimer = null;

  function setState(state) {
    document.body.dataset.live = state;
    status.textContent = state === 'open' ? 'live (' + transport + ')' : state + '…';
  }

  function render(item) {
    if (!item || shown.has(item.id)) return;
    shown.add(item.id);
    var li = document.createElement('li');
    li.dataset.id = String(item.id);
    li.textContent = item.text;
    list.appendChild(li);
  }

  // After (re)connecting, fetch the list: whatever was broadcast while we were away is caught up.
  function refetch() {
    return fetch('/api/live/items', { headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (body) { (body.items || []).forEach(render); })
      .catch(function () {});
  }

  function onData(data) {
    try {
      var msg = JSON.parse(data);
      if (msg && msg.item) render(msg.item);
    } catch (e) {
      // not ours
    }
  }

  function scheduleReconnect() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; connect(); }, 1000);
  }

  function connectSse() {
    var es = new EventSource('/api/live/events?client=' + encodeURIComponent(clientId));
    es.addEventListener('open', function () { setState('open'); refetch(); });
    es.addEventListener('message', function (e) { onData(e.data); });
    es.addEventListener('error', function () {
      // The browser retries on its own unless the stream was refused; then we start over.
      if (es.readyState === EventSource.CLOSED) { setState('closed'); scheduleReconnect(); } else setState('reconnecting');
    });
    return { close: function () { es.close(); }, closed: function () { return es.readyState === EventSource.CLOSED; } };
  }

  function connectWs() {
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/live/ws?client=' + encodeURIComponent(clientId);
    var ws = new WebSocket(url);
    var closed = false;
    ws.addEventListener('open', function () { setState('open'); refetch(); });
    ws.addEventListener('message', function (e) { onData(e.data); });
    ws.addEventListener('close', function () { closed = true; setState('reconnecting'); scheduleReconnect(); });
    return { close: function () { ws.close(); }, closed: function () { return closed; } };
  }

  function connect() {
    if (connection) connection.close();
    connection = transport === 'ws' ? connectWs() : connectSse();
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    fetch('/api/live/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-client-id': clientId },
      body: JSON.stringify({ text: text }),
    }).then(function (r) {
      if (r.ok) input.value = '';
      else status.textContent = 'could not add the item (HTTP ' + r.status + ')';
    }, function () {
      status.textContent = 'could not add the item (offline?)';
    });
  });

  window.addEventListener('online', function () {
    refetch();
    if (connection && connection.closed()) connect();
  });

  setState('connecting');
  connect();
})();
`;
