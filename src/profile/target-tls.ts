// target.tls and target.proxy: how every client of the run trusts the target and reaches it.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { describe } from './fields.js';

// A missing file is a profile error with its position, before any traffic (not a failed run).
const pemOrPath = (what: string) =>
  z
    .string({ error: (iss) => `expected ${what} (a PEM file path or PEM text), got ${describe(iss.input)}` })
    .min(1)
    .refine((v) => v.trimStart().startsWith('-----BEGIN') || existsSync(v), {
      error: (iss) => `no such file: ${String(iss.input)} (${what}; paths are relative to where shipgate runs)`,
    });

export const targetTlsSchema = z
  .strictObject({
    ca: z
      .union([pemOrPath('a CA certificate'), z.array(pemOrPath('a CA certificate')).min(1)])
      .optional()
      .describe(
        'CA certificate(s) to trust in addition to the system roots: PEM file paths (relative to where shipgate runs) or PEM text',
      ),
    insecure: z
      .boolean()
      .default(false)
      .describe('Accept any certificate (no chain or hostname check). Every report then carries a warning check'),
    serverName: z
      .string()
      .min(1)
      .optional()
      .describe('Name sent as SNI and checked against the certificate, when baseUrl names an IP address or another host'),
    cert: pemOrPath('a client certificate').optional().describe('Client certificate for mutual TLS (PEM file path or text)'),
    key: pemOrPath('a client key')
      .optional()
      .describe('Client key for mutual TLS: read it through a secret, e.g. "${secret:CLIENT_KEY}" (PEM text or a file path)'),
  })
  .refine((t) => (t.cert === undefined) === (t.key === undefined), { error: 'cert and key go together (mutual TLS needs both)' })
  .describe("How the target's TLS certificate is trusted, by every client shipgate uses");

export type TargetTls = z.infer<typeof targetTlsSchema>;

export const targetProxySchema = z
  .string()
  .refine((s) => /^https?:\/\/[^/]+/.test(s), {
    error: (iss) => `expected a proxy URL like http://proxy.internal:3128, got ${describe(iss.input)}`,
  })
  .describe('HTTP(S) proxy for every request to the target; overrides HTTPS_PROXY / HTTP_PROXY (NO_PROXY still applies)');
