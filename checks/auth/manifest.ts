// The auth gate as data, for the registry: see src/gates/contract.ts.
import { defineGate } from '../../src/gates/contract.js';
import { catalogue } from './catalogue.js';
import { authSchema, type AuthConfig } from './schema.js';

export const auth = defineGate<AuthConfig>({
  id: 'auth',
  title: 'Auth refresh flow',
  description:
    'Login, short-lived access token, protected route, rotating httpOnly refresh cookie with reuse detection, logout, login rate limit',
  phase: 2,
  schema: authSchema,
  catalogue,
  // Its failures are security findings (SARIF for code scanning).
  securityFindings: true,
  destructive: 'logs in and sends a burst of failed logins',
  usesBrowser: (config) =>
    config.browser ? { executable: config.browser.executable, setting: 'gates.auth.browser.executable' } : undefined,
  load: async () => (await import('./index.js')).gate,
  init: async () => (await import('./init.js')).init,
});
