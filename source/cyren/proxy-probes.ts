import type {CyrenSettings} from './cyren-settings.js';
import type {CyrenFiles} from './proxy-files.js';
import {checkProxy, type ProxyCheckResult} from './proxy-check.js';
import {maskResolverHost, resolverHosts, serverAddressOf} from './resolver-hosts.js';
import {parseTarget} from './validate.js';

/**
 * What the proxy test tries: what the CYREN services really do. ctasd reaches its resolvers
 * (`Server_address`, `%d` = 1 and 2) over HTTP on port 80 through the proxy; definitions come from
 * *.ctmail.com, which an HTTPS client reaches with CONNECT to 443. So each resolver gets both.
 */

export interface ProxyProbe {
  method: 'http' | 'connect';
  host: string;
  port: number;
}

export interface ProbePlan {
  probes: ProxyProbe[];
  /** Where the targets came from, for the report. */
  source: 'option' | 'settings' | 'ctasd.conf' | 'default';
}

export interface ProbeResult extends ProxyCheckResult {
  method: ProxyProbe['method'];
  /** host:port as shown (licence part masked). */
  target: string;
}

export const fallbackCheckHost = 'ctmail.com';

/** One probe for a host:port the admin named: HTTP on port 80, CONNECT otherwise. */
function namedTarget(target: {host: string; port: number}): ProxyProbe {
  return {method: target.port === 80 ? 'http' : 'connect', ...target};
}

function bothWays(host: string): ProxyProbe[] {
  return [
    {method: 'http', host, port: 80},
    {method: 'connect', host, port: 443},
  ];
}

/** --target, else settings' cyren.checkTarget, else ctasd.conf's *.ctmail.com resolvers, else ctmail.com. */
export function planProbes(settings: CyrenSettings, files?: CyrenFiles, target?: {host: string; port: number}): ProbePlan {
  if (target) return {probes: [namedTarget(target)], source: 'option'};
  if (settings.checkTarget) {
    const parsed = parseTarget(settings.checkTarget);
    if (typeof parsed !== 'string') return {probes: [namedTarget(parsed)], source: 'settings'};
  }
  const ctasd = files?.present.find(file => file.info.name === 'ctasd.conf');
  const address = ctasd ? serverAddressOf(ctasd.document.lines.map(line => line.text)) : undefined;
  // Only CYREN's own domain: a file pointing elsewhere does not make the console connect there.
  const hosts = (address ? resolverHosts(address) : []).filter(host => /(^|\.)ctmail\.com$/i.test(host));
  if (hosts.length > 0) return {probes: hosts.flatMap(bothWays), source: 'ctasd.conf'};
  return {probes: bothWays(fallbackCheckHost), source: 'default'};
}

export function shownTarget(probe: Pick<ProxyProbe, 'host' | 'port'>): string {
  const host = maskResolverHost(probe.host);
  return host.includes(':') ? `[${host}]:${probe.port}` : `${host}:${probe.port}`;
}

export function describeProbe(probe: ProxyProbe): string {
  return probe.method === 'http' ? `HTTP GET http://${maskResolverHost(probe.host)}${probe.port === 80 ? '' : `:${probe.port}`}/` : `CONNECT ${shownTarget(probe)}`;
}

export interface ProxyEndpoint {
  server: string;
  port: number;
  user?: string;
  password?: string;
}

/** Runs every probe at once, each with its own deadline; results in plan order. */
export async function runProbes(proxy: ProxyEndpoint, plan: ProbePlan, timeoutMs: number, onResult?: (index: number, result: ProbeResult) => void): Promise<ProbeResult[]> {
  const credentials = proxy.user !== undefined && proxy.password !== undefined ? {user: proxy.user, password: proxy.password} : undefined;
  return Promise.all(
    plan.probes.map(async (probe, index) => {
      const result = await checkProxy({proxyHost: proxy.server, proxyPort: proxy.port, target: {host: probe.host, port: probe.port}, method: probe.method, shownTarget: shownTarget(probe), credentials, timeoutMs});
      const probeResult: ProbeResult = {...result, method: probe.method, target: shownTarget(probe)};
      onResult?.(index, probeResult);
      return probeResult;
    }),
  );
}

export const probesPassed = (results: readonly ProbeResult[]) => results.length > 0 && results.every(result => result.outcome === 'connected');
