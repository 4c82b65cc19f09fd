// A recording, rewriting HTTP proxy on 127.0.0.1 in front of a real server (usually the demo target):
// tests see every response the checked tool got, and can bend one detail of it (a cookie flag, a body)
// without mocking the rest.
import { request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { withServer } from './servers.js';

export interface ProxiedResponse {
  status: number;
  headers: OutgoingHttpHeaders;
  body: string;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Rewrites a response before it is sent on (returns it, changed or not). */
export type Rewrite = (req: ProxiedRequest, res: ProxiedResponse) => ProxiedResponse | Promise<ProxiedResponse>;

export interface Recording {
  exchanges: { req: ProxiedRequest; res: ProxiedResponse }[];
}

function readAll(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

export async function withProxy<T>(
  upstream: string,
  rewrite: Rewrite | undefined,
  fn: (url: string, recording: Recording) => Promise<T>,
): Promise<T> {
  const target = new URL(upstream);
  const recording: Recording = { exchanges: [] };
  return withServer(
    async (req, res) => {
      try {
        const body = await readAll(req);
        const preq: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
        const headers = { ...req.headers, host: target.host };
        delete headers['content-length'];
        const up = await new Promise<IncomingMessage>((resolve, reject) => {
          const r = request(
            {
              host: target.hostname,
              port: target.port,
              method: preq.method,
              path: preq.path,
              headers: { ...headers, 'content-length': Buffer.byteLength(body) },
            },
            resolve,
          );
          r.on('error', reject);
          r.end(body);
        });
        const upBody = await readAll(up);
        let pres: ProxiedResponse = { status: up.statusCode ?? 502, headers: { ...up.headers }, body: upBody };
        if (rewrite) pres = await rewrite(preq, pres);
        recording.exchanges.push({ req: preq, res: pres });
        const out = { ...pres.headers };
        delete out['content-length'];
        delete out['transfer-encoding'];
        delete out.connection;
        delete out['keep-alive'];
        res.writeHead(pres.status, { ...out, 'content-length': Buffer.byteLength(pres.body) });
        res.end(pres.body);
      } catch (err) {
        res.statusCode = 502;
        res.end(`proxy error: ${(err as Error).message}`);
      }
    },
    (url) => fn(url, recording),
  );
}

/** The Set-Cookie lines of a proxied response, as an array. */
export function setCookiesOf(res: ProxiedResponse): string[] {
  const v = res.headers['set-cookie'];
  return v === undefined ? [] : Array.isArray(v) ? v : [String(v)];
}
