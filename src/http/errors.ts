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

/**
 * Chromium's network errors (Playwright: "page.goto: net::ERR_CERT_DATE_INVALID at https://…"), as the
 * Node code whose words they share, so a browser's refusal reads like every other client's. Chromium's
 * certificate codes are coarser than OpenSSL's (one code for self-signed and unknown CA); where Node can
 * say more, chromium-trust.ts asks it (browserRefusal).
 */
const CHROMIUM: Record<string, { code: string; reason?: string }> = {
  ERR_CONNECTION_REFUSED: { code: 'ECONNREFUSED' },
  ERR_CONNECTION_RESET: { code: 'ECONNRESET' },
  ERR_CONNECTION_CLOSED: { code: 'ECONNRESET' },
  ERR_EMPTY_RESPONSE: { code: 'ECONNRESET' },
  ERR_NAME_NOT_RESOLVED: { code: 'ENOTFOUND' },
  ERR_CONNECTION_TIMED_OUT: { code: 'ETIMEDOUT' },
  ERR_TIMED_OUT: { code: 'ETIMEDOUT' },
  ERR_ADDRESS_UNREACHABLE: { code: 'EHOSTUNREACH' },
  ERR_CERT_AUTHORITY_INVALID: { code: 'CERT_UNTRUSTED', reason: 'certificate not trusted (self-signed or unknown CA)' },
  ERR_CERT_DATE_INVALID: { code: 'CERT_HAS_EXPIRED', reason: 'certificate has expired or is not yet valid' },
  ERR_CERT_COMMON_NAME_INVALID: {
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    reason: "Hostname/IP does not match certificate's altnames",
  },
  ERR_CERT_INVALID: { code: 'CERT_UNTRUSTED', reason: 'certificate is invalid' },
  ERR_CERT_REVOKED: { code: 'CERT_REVOKED', reason: 'certificate revoked' },
  ERR_CERT_WEAK_SIGNATURE_ALGORITHM: { code: 'CERT_UNTRUSTED', reason: 'certificate signature algorithm is too weak' },
  ERR_SSL_VERSION_OR_CIPHER_MISMATCH: { code: 'ERR_SSL_NO_PROTOCOLS', reason: 'no protocol version or cipher in common' },
  ERR_SSL_PROTOCOL_ERROR: { code: 'EPROTO', reason: 'TLS protocol error' },
  ERR_BAD_SSL_CLIENT_AUTH_CERT: { code: 'EPROTO', reason: 'the server refused the client certificate' },
  ERR_SSL_CLIENT_AUTH_CERT_NEEDED: { code: 'EPROTO', reason: 'the server asks for a client certificate' },
};

/** The net::ERR_… code of a Chromium network error, if `err` is one. */
export function chromiumCode(err: unknown): string | undefined {
  return /\bnet::(ERR_[A-Z_]+)/.exec((err as Error)?.message ?? String(err))?.[1];
}

export function toHttpError(err: unknown, url: URL, timeoutMs: number, timedOut: boolean): HttpError {
  if (err instanceof HttpError) return err;
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  if (timedOut) return new HttpError('timeout', `no complete response from ${where} within ${timeoutMs}ms (${url.pathname})`);
  const chromium = chromiumCode(err);
  if (chromium) {
    const known = CHROMIUM[chromium] ?? (/^ERR_(CERT|SSL)_/.test(chromium) ? { code: 'EPROTO', reason: 'TLS error' } : undefined);
    if (known) {
      const mapped = toHttpError({ code: known.code, message: known.reason ?? chromium }, url, timeoutMs, false);
      return new HttpError(mapped.kind, `${mapped.message} (net::${chromium})`);
    }
  }
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
