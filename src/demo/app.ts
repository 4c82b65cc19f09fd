// A tiny router on node:http for the demo target: routes, middleware, request ids, JSON errors.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export interface DemoRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  requestId: string;
  /** Reads the body (at most 1 MiB). */
  body(): Promise<string>;
  /** Parses a JSON body; a malformed one becomes a 400 problem response and `undefined`. */
  json<T = unknown>(): Promise<T | undefined>;
  /** Route parameters, for routes ending with "/*". */
  rest?: string;
}

export type Handler = (r: DemoRequest) => void | Promise<void>;
export type Middleware = (r: DemoRequest, next: () => Promise<void>) => void | Promise<void>;
/** Takes over an HTTP upgrade (WebSocket) request for one path. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Each concern of the demo (health, security, auth, realtime, load) is a module like this. */
export interface DemoModule {
  /** Flaw name → what it breaks, for `shipgate demo --help` and validation of --flaws. */
  flaws: Record<string, string>;
  /** May return a cleanup that releases timers and streams when the server stops. */
  install(app: DemoApp, flaws: ReadonlySet<string>): void | (() => void);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export class DemoApp {
  private readonly routes = new Map<string, Handler>();
  private readonly prefixRoutes: { method: string; prefix: string; handler: Handler }[] = [];
  private readonly middleware: Middleware[] = [];
  private readonly upgrades = new Map<string, UpgradeHandler>();
  /** Called for errors thrown by handlers; replaced by the security module's flaw to leak stacks. */
  errorBody: (err: Error, r: DemoRequest) => unknown = (_err, r) =>
    problemBody(500, 'Internal Server Error', 'an unexpected error occurred', r.requestId);

  route(method: string, path: string, handler: Handler): void {
    if (path.endsWith('/*')) this.prefixRoutes.push({ method, prefix: path.slice(0, -1), handler });
    else this.routes.set(`${method} ${path}`, handler);
  }

  use(mw: Middleware): void {
    this.middleware.push(mw);
  }

  /** Routes HTTP upgrade requests (WebSocket) for a path; the server wires `upgrade` events to handleUpgrade. */
  upgrade(path: string, handler: UpgradeHandler): void {
    this.upgrades.set(path, handler);
  }

  handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://demo.invalid').pathname;
    const handler = this.upgrades.get(path);
    if (handler) return handler(req, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  };

  hasPath(path: string): boolean {
    return [...this.routes.keys()].some((k) => k.endsWith(` ${path}`));
  }

  handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    let bodyPromise: Promise<string> | undefined;
    const r: DemoRequest = {
      req,
      res,
      url,
      requestId,
      method: req.method ?? 'GET',
      body: () => (bodyPromise ??= readBody(req)),
      async json<T>() {
        const text = await r.body();
        try {
          return JSON.parse(text) as T;
        } catch {
          sendProblem(res, 400, 'Bad Request', 'the request body is not valid JSON', requestId);
          return undefined;
        }
      },
    };
    const dispatch = async () => {
      const exact =
        this.routes.get(`${r.method} ${url.pathname}`) ??
        (r.method === 'HEAD' ? this.routes.get(`GET ${url.pathname}`) : undefined);
      if (exact) return exact(r);
      const prefix = this.prefixRoutes.find((p) => p.method === r.method && url.pathname.startsWith(p.prefix));
      if (prefix) {
        r.rest = url.pathname.slice(prefix.prefix.length);
        return prefix.handler(r);
      }
      const otherMethod = [...this.routes.keys()].some((k) => k.endsWith(` ${url.pathname}`));
      if (otherMethod)
        return sendProblem(res, 405, 'Method Not Allowed', `${r.method} is not allowed on ${url.pathname}`, requestId);
      sendProblem(res, 404, 'Not Found', `no route for ${r.method} ${url.pathname}`, requestId);
    };
    const chain = this.middleware.reduceRight<() => Promise<void>>((next, mw) => async () => mw(r, next), dispatch);
    try {
      await chain();
    } catch (err) {
      if (err instanceof BodyTooLargeError && !res.headersSent)
        return sendProblem(res, 413, 'Content Too Large', err.message, requestId);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'application/problem+json');
        res.end(JSON.stringify(this.errorBody(err as Error, r)));
      } else res.destroy();
    }
  };
}

export function problemBody(status: number, title: string, detail: string, requestId: string) {
  return { type: 'about:blank', title, status, detail, requestId };
}

export function sendProblem(res: ServerResponse, status: number, title: string, detail: string, requestId: string): void {
  sendJson(res, status, problemBody(status, title, detail, requestId), 'application/problem+json');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** A body over the 1 MiB limit: answered 413, like body-parser's and Fastify's limits. */
export class BodyTooLargeError extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw new BodyTooLargeError('the request body is larger than 1 MiB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
