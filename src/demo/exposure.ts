// What the demo serves besides its pages and API: the small script of the front page and, with a flaw,
// the files and debug surfaces deployments leak — a .env with the live secrets, the .git folder, the
// script's source map with the original source, an expvar-style /debug/vars.
import { randomBytes } from 'node:crypto';
import { sendJson, type DemoModule, type DemoRequest } from './app.js';
import { REQUIRED_ENV } from './lifecycle.js';

/** The front page's script (script-src 'self' allows it). */
const APP_JS = `// shipgate demo: the front page's script.
(function () {
  'use strict';
  var el = document.querySelector('h1');
  if (el) el.title = 'served at ' + new Date().toISOString();
})();
`;

/** The map a bundler writes with sourcemap: true — sourcesContent carries the original source. */
const APP_MAP = {
  version: 3,
  file: 'app.js',
  sources: ['../src/front/app.ts', '../src/front/internal-api.ts'],
  sourcesContent: [
    "import { internalApi } from './internal-api';\n// TODO: remove the admin shortcut before launch\ndocument.querySelector('h1')!.title = 'served at ' + new Date().toISOString();\n",
    "export const internalApi = 'http://10.0.3.7:8080/admin';\n",
  ],
  names: [],
  mappings: 'AAAA;AACA,CAAC',
};

function send(r: DemoRequest, type: string, body: string): void {
  r.res.statusCode = 200;
  r.res.setHeader('Content-Type', type);
  r.res.setHeader('Content-Length', Buffer.byteLength(body));
  r.res.end(r.method === 'HEAD' ? undefined : body);
}

export const exposure: DemoModule = {
  flaws: {
    'exposed-env': 'GET /.env serves the live session secret and a database URL with its password',
    'exposed-git': 'GET /.git/HEAD and /.git/config are served (the deploy is a git checkout under the web root)',
    'exposed-sourcemap': "the front page's /app.js announces /app.js.map, which serves the original source (sourcesContent)",
    'debug-endpoint':
      "GET /debug/vars answers like Go's expvar: command line, memory stats and the configuration with its secrets",
  },
  install(app, flaws) {
    const sessionSecret = process.env[REQUIRED_ENV] ?? randomBytes(16).toString('hex');
    const dbPassword = randomBytes(12).toString('hex');
    const databaseUrl = `postgres://demo:${dbPassword}@db.internal:5432/demo`;

    const script = flaws.has('exposed-sourcemap') ? `${APP_JS}//# sourceMappingURL=app.js.map\n` : APP_JS;
    app.route('GET', '/app.js', (r) => send(r, 'text/javascript; charset=utf-8', script));
    if (flaws.has('exposed-sourcemap'))
      app.route('GET', '/app.js.map', (r) => send(r, 'application/json', JSON.stringify(APP_MAP)));

    if (flaws.has('exposed-env')) {
      const env = `# demo target configuration\nNODE_ENV=production\n${REQUIRED_ENV}=${sessionSecret}\nDATABASE_URL=${databaseUrl}\nPORT=4100\n`;
      app.route('GET', '/.env', (r) => send(r, 'text/plain; charset=utf-8', env));
    }
    if (flaws.has('exposed-git')) {
      app.route('GET', '/.git/HEAD', (r) => send(r, 'text/plain; charset=utf-8', 'ref: refs/heads/main\n'));
      app.route('GET', '/.git/config', (r) =>
        send(
          r,
          'text/plain; charset=utf-8',
          '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n[remote "origin"]\n\turl = https://git.example.com/acme/demo.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main\n',
        ),
      );
    }
    if (flaws.has('debug-endpoint')) {
      app.route('GET', '/debug/vars', (r) =>
        sendJson(r.res, 200, {
          cmdline: process.argv.slice(0, 2).map((a) => a.split('/').pop()),
          memstats: process.memoryUsage(),
          config: { sessionSecret, databaseUrl, port: 4100 },
        }),
      );
    }
  },
};
