// The requests `shipgate init` sends: the shared HttpClient, wrapped so a probe never throws (a refused or
// timed-out candidate is just "not found"), with a count of what was sent and a few requests at a time.
// Only GET, OPTIONS and POSTs of an empty JSON body are ever sent: init must be safe against production.
import { HttpClient, type HttpResponse } from '../http/client.js';
import { trustFor, type Trust } from '../http/trust.js';
import { HttpError } from '../http/errors.js';

export interface Answer {
  path: string;
  res?: HttpResponse;
  error?: string;
  /** The transport failure's kind (refused, timeout, …), when there was one. */
  kind?: HttpError['kind'];
}

export interface ProbeRequest {
  method?: 'GET' | 'OPTIONS' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  maxBodyBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
}

const DEFAULT_MAX_BODY = 256 * 1024;

export class Prober {
  readonly http: HttpClient;
  sent = 0;

  constructor(
    readonly baseUrl: URL,
    readonly signal: AbortSignal,
    readonly timeoutMs = 5_000,
    // The default trust: system roots, HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment.
    trust: Trust = trustFor({}),
  ) {
    this.http = new HttpClient({ baseUrl, timeoutMs, signal, connections: 4, trust });
  }

  async send(req: ProbeRequest): Promise<Answer> {
    this.sent++;
    try {
      const res = await this.http.request({
        method: req.method ?? 'GET',
        url: req.path,
        headers: { 'user-agent': 'shipgate-init', ...req.headers },
        body: req.body,
        maxBodyBytes: req.maxBodyBytes ?? DEFAULT_MAX_BODY,
        timeoutMs: req.timeoutMs,
        maxRedirects: req.maxRedirects,
        signal: this.signal,
      });
      return { path: req.path, res };
    } catch (err) {
      if (this.signal.aborted) throw err;
      return { path: req.path, error: (err as Error).message, kind: err instanceof HttpError ? err.kind : 'other' };
    }
  }

  get(path: string, headers?: Record<string, string>): Promise<Answer> {
    return this.send({ path, headers: { accept: 'application/json, text/html;q=0.9, */*;q=0.5', ...headers } });
  }

  /** POST of `{}` as JSON: what a login endpoint answers with 400/401/422 and an unknown route with 404. */
  postEmptyJson(path: string): Promise<Answer> {
    return this.send({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
      maxBodyBytes: 16 * 1024,
    });
  }

  /** Runs `fn` over `items`, at most `limit` at a time, keeping the order. */
  async each<T, R>(items: T[], fn: (item: T) => Promise<R>, limit = 4): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/** The media type without parameters, lower-case ("application/json"), or "" when absent. */
export function mediaType(res: HttpResponse | undefined): string {
  return (res?.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export const is2xx = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;
