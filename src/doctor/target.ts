// With a profile: the target can be reached the way the gates will reach it.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { HttpClient } from '../http/client.js';
import { toHttpError } from '../http/errors.js';
import type { Trust } from '../http/trust.js';
import type { Profile } from '../profile/schema.js';
import type { Finding } from './finding.js';

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

/**
 * The base URL answers (any HTTP status counts), and for https its certificate is trusted, through the run's
 * trust (target.tls, target.proxy / HTTPS_PROXY): the HTTP client every gate uses, worded as they word it.
 */
export async function checkBaseUrl(baseUrl: URL, trust: Trust, timeoutMs = 5_000): Promise<Finding[]> {
  const https = baseUrl.protocol === 'https:';
  const http = new HttpClient({ baseUrl, timeoutMs, trust, connections: 1 });
  try {
    const res = await http.request({ url: baseUrl, maxBodyBytes: 1024, profileHeaders: false });
    const answer: Finding = {
      id: 'base-url',
      ok: true,
      message: `${baseUrl} answers (HTTP ${res.status})`,
      details: { status: res.status },
    };
    const trusted = trust.insecure
      ? `${baseUrl.host}: the certificate is not checked (target.tls.insecure: true)`
      : `${baseUrl.host} presents a certificate the run trusts${trust.customCa ? ' (system roots and target.tls.ca)' : ''}`;
    return https ? [answer, { id: 'tls', ok: true, message: trusted }] : [answer];
  } catch (err) {
    const e = toHttpError(err, baseUrl, timeoutMs, false);
    if (e.kind === 'tls') {
      return [
        { id: 'base-url', ok: false, message: `${baseUrl} did not complete a TLS handshake`, fix: 'see the TLS line below' },
        {
          id: 'tls',
          ok: false,
          message: e.message,
          fix: 'trust the issuing CA with target.tls.ca in the profile (serverName when the certificate names another host), or fix the certificate on the server',
        },
      ];
    }
    return [
      {
        id: 'base-url',
        ok: false,
        message: `${baseUrl} does not answer: ${e.message}`,
        fix: 'start the deployment (or target.start in the profile), or correct target.baseUrl',
      },
    ];
  } finally {
    await http.close();
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
