// The security gate as data, for the registry: see src/gates/contract.ts.
import { defineGate } from '../../src/gates/contract.js';
import { catalogue, tlsCertificate, tlsProtocols } from './catalogue.js';
import { securitySchema, type SecurityConfig } from './schema.js';

export const security = defineGate<SecurityConfig>({
  id: 'security',
  title: 'Security: CORS, headers, cookies, errors',
  description:
    'CORS allows exactly the configured origins; security headers graded like the MDN HTTP Observatory; cookie flags; JSON errors without stack traces, with request ids',
  phase: 2,
  schema: securitySchema,
  catalogue,
  // Its failures are security findings (SARIF for code scanning).
  securityFindings: true,
  // A certificate the clients refuse makes probes fail; these say why, so they run anyway.
  connectionChecks: [tlsCertificate.id, tlsProtocols.id],
  load: async () => (await import('./index.js')).gate,
  init: async () => (await import('./init.js')).init,
});
