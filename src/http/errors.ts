// Transport failures are converted here, in one place, into a short reason a person can act on.

export type HttpErrorKind = 'refused' | 'timeout' | 'reset' | 'dns' | 'tls' | 'protocol' | 'redirects' | 'aborted' | 'other';

export class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

function codeOf(err: unknown): string | undefined {
  let e: any = err;
  for (let i = 0; e && i < 5; i++) {
    if (typeof e.code === 'string' && e.code !== 'UND_ERR_SOCKET' && e.code !== 'ABORT_ERR') return e.code;
    if (e.code === 'UND_ERR_SOCKET' && e.cause) {
      e = e.cause;
      continue;
    }
    if (e.code === 'UND_ERR_SOCKET') return e.code;
    e = e.cause;
  }
  return undefined;
}

export function toHttpError(err: unknown, url: URL, timeoutMs: number, timedOut: boolean): HttpError {
  if (err instanceof HttpError) return err;
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  if (timedOut) return new HttpError('timeout', `no complete response from ${where} within ${timeoutMs}ms (${url.pathname})`);
  const code = codeOf(err);
  const detail = (err as Error)?.message ?? String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return new HttpError('refused', `connection refused to ${where}`);
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return new HttpError('reset', `connection reset by ${where} (${url.pathname})`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new HttpError('dns', `cannot resolve host ${url.hostname}`);
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return new HttpError('timeout', `no complete response from ${where} within ${timeoutMs}ms (${url.pathname})`);
    case 'UND_ERR_HEADERS_OVERFLOW':
      return new HttpError('protocol', `response headers from ${where} are larger than the client accepts (16 KiB)`);
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new HttpError('protocol', `malformed HTTP response from ${where}: the body length does not match Content-Length`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new HttpError('refused', `host ${where} is unreachable`);
  }
  if (code && /^(ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO)/.test(code)) {
    // OpenSSL's own lines ("80…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…") say it in their reason.
    const reason = (err as { reason?: string })?.reason ?? /SSL routines:[^:]*:([^:]+):/.exec(detail)?.[1];
    return new HttpError(
      'tls',
      `TLS handshake with ${where} failed: ${/SSL routines/.test(detail) && reason ? reason : detail.trim()}`,
    );
  }
  if (code && /^HPE_|UND_ERR_INFO|UND_ERR_RES_CONTENT_LENGTH_MISMATCH|UND_ERR_INVALID_ARG/.test(code)) {
    return new HttpError('protocol', `malformed HTTP response from ${where}: ${detail}`);
  }
  if ((err as Error)?.name === 'HTTPParserError') {
    return new HttpError('protocol', `malformed HTTP response from ${where}: ${detail}`);
  }
  if ((err as Error)?.name === 'AbortError') return new HttpError('aborted', `request to ${where} was aborted`);
  return new HttpError('other', `request to ${where} failed: ${code ? code + ' ' : ''}${detail}`);
}
