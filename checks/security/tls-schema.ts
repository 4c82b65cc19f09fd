// The security gate's TLS settings: certificate expiry thresholds, and where plain http is probed.
import { z } from 'zod';
import { describe } from '../../src/profile/fields.js';

export const tlsSchema = z
  .strictObject({
    warnDays: z
      .number()
      .int()
      .min(0)
      .default(21)
      .describe('The certificate check warns when the certificate expires in fewer days than this'),
    failDays: z
      .number()
      .int()
      .min(0)
      .default(7)
      .describe('The certificate check fails when the certificate expires in fewer days than this'),
  })
  .refine((t) => t.failDays <= t.warnDays, { error: 'failDays must not be larger than warnDays' })
  .prefault({})
  .describe('TLS checks of an https target: the certificate and the protocols offered');

export const httpsRedirectSchema = z
  .strictObject({
    from: z
      .string()
      .refine((s) => /^http:\/\/[^/]+/.test(s), {
        error: (iss) => `expected a plain-http origin like http://127.0.0.1:8080, got ${describe(iss.input)}`,
      })
      .optional()
      .describe("The plain-http origin to probe for the redirect to https (default: port 80 of the target's host)"),
  })
  .prefault({})
  .describe('The http→https redirect check');
