// The undici dispatcher for the run's trust: a plain Agent, or, when a proxy applies, an EnvHttpProxyAgent
// with the proxy settings of the trust (never read again from the environment) and the same TLS inside
// the CONNECT tunnel (requestTls) as outside it.
import type { Agent, Dispatcher, EnvHttpProxyAgent } from 'undici';
import type { Trust } from './trust.js';

type Undici = { Agent: typeof Agent; EnvHttpProxyAgent: typeof EnvHttpProxyAgent };

export function newDispatcher(
  undici: Undici,
  trust: Trust,
  options: Agent.Options & { connect?: { timeout?: number } } = {},
): Dispatcher & { destroy(): Promise<void> } {
  const connect = { ...options.connect, ...trust.tls };
  const { httpProxy, httpsProxy, noProxy } = trust.proxy;
  if (!httpProxy && !httpsProxy) return new undici.Agent({ ...options, connect });
  return new undici.EnvHttpProxyAgent({
    ...options,
    connect,
    requestTls: connect,
    httpProxy: httpProxy ?? '',
    httpsProxy: httpsProxy ?? '',
    noProxy: noProxy ?? '',
  });
}
