// With a profile: the target can be reached the way the gates will reach it.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Profile } from '../profile/schema.js';
import type { Finding } from './finding.js';

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|SSL|HOSTNAME_MISMATCH|ERR_SSL/;

export async function checkHostResolves(baseUrl: URL): Promise<Finding> {
  const host = baseUrl.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return { id: 'host', ok: true, message: `${host} is an IP address (nothing to resolve)` };
  try {
    const { address } = await lookup(host);
    return { id: 'host', ok: true, message: `${host} resolves to ${address}`, details: { address } };
  } catch (err) {
    return {
      id: 'host',
      ok: false,
      message: `${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? err})`,
      fix: 'check target.baseUrl for a typo, or the DNS/VPN this machine uses',
    };
  }
}

/** The base URL answers (any HTTP status counts), and for https its certificate is trusted. */
export async function checkBaseUrl(baseUrl: URL, timeoutMs = 5_000): Promise<Finding[]> {
  const { request } = await import('undici');
  const https = baseUrl.protocol === 'https:';
  try {
    const res = await request(baseUrl, { method: 'GET', signal: AbortSignal.timeout(timeoutMs), maxRedirections: 0 } as never);
    await res.body.dump().catch(() => {});
    const answer: Finding = {
      id: 'base-url',
      ok: true,
      message: `${baseUrl} answers (HTTP ${res.statusCode})`,
      details: { status: res.statusCode },
    };
    return https
      ? [answer, { id: 'tls', ok: true, message: `${baseUrl.host} presents a certificate this machine trusts` }]
      : [answer];
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    const code = e.cause?.code ?? e.code ?? e.name;
    const text = `${code ?? ''} ${e.cause?.message ?? e.message ?? ''}`.trim();
    if (https && TLS_CODES.test(text)) {
      return [
        { id: 'base-url', ok: false, message: `${baseUrl} did not complete a TLS handshake`, fix: 'see the TLS line below' },
        {
          id: 'tls',
          ok: false,
          message: `${baseUrl.host}: certificate not trusted (${text.slice(0, 200)})`,
          fix: 'install the issuing CA on this machine (NODE_EXTRA_CA_CERTS for shipgate), or fix the certificate chain on the server',
        },
      ];
    }
    const why =
      e.name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT'
        ? `no answer within ${timeoutMs / 1000}s`
        : text.slice(0, 200);
    return [
      {
        id: 'base-url',
        ok: false,
        message: `${baseUrl} does not answer: ${why}`,
        fix: 'start the deployment (or target.start in the profile), or correct target.baseUrl',
      },
    ];
  }
}

/** The first word of a shell command, unquoted; undefined for a shell builtin or an assignment. */
export function commandWord(command: string): string | undefined {
  const m = /^\s*(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(command);
  const word = m?.[1] ?? m?.[2] ?? m?.[3];
  if (!word || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) return undefined;
  if (['cd', 'exec', 'export', 'set', 'source', '.', 'env', 'eval', 'if', 'for', 'while', '(', '{'].includes(word))
    return undefined;
  return word;
}

export async function checkStartCommand(
  start: NonNullable<Profile['target']['start']>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Finding> {
  const word = commandWord(start.command);
  if (!word)
    return {
      id: 'start-command',
      ok: true,
      message: `target.start.command runs through the shell (${JSON.stringify(start.command.slice(0, 60))}); its first word is not a program to look up`,
    };
  const cwd = resolve(start.cwd ?? '.');
  const candidates = word.includes('/')
    ? [isAbsolute(word) ? word : join(cwd, word)]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((d) => join(d, word));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return { id: 'start-command', ok: true, message: `target.start.command: ${word} is ${c}` };
    } catch {
      // next
    }
  }
  return {
    id: 'start-command',
    ok: false,
    message: `target.start.command: ${word} is not ${word.includes('/') ? `an executable file (${candidates[0]})` : 'on PATH'}`,
    fix: `install ${word}, or correct target.start.command (cwd ${cwd})`,
  };
}
