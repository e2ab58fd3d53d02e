import {writeJson} from '../../commands/parse.js';
import type {CommandIo} from '../../commands/types.js';
import {maskResolverHost} from '../../system/secret-registry.js';
import {checkProxy, ctmailReminder, type ProxyCheckResult} from '../proxy-check.js';
import {out} from './shared.js';

/** Runs the CONNECT check and prints the outcome (or JSON) with the knowledge base's reminder. */
export async function runCheck(io: CommandIo, proxy: {server: string; port: number; user?: string; password?: string}, target: {host: string; port: number}, timeoutMs: number, json = false): Promise<ProxyCheckResult> {
  // The resolver host holds the licence key: shown masked, used as it is.
  const shown = `${maskResolverHost(target.host)}:${target.port}`;
  if (!json) out(io, `Testing ${proxy.server}:${proxy.port}${proxy.user ? ` as ${proxy.user}` : ''} -> CONNECT ${shown} ...`);
  const credentials = proxy.user !== undefined && proxy.password !== undefined ? {user: proxy.user, password: proxy.password} : undefined;
  const result = await checkProxy({proxyHost: proxy.server, proxyPort: proxy.port, target, credentials, timeoutMs});
  if (json) writeJson(io.stdout, {proxy: `${proxy.server}:${proxy.port}`, target: shown, authenticated: credentials !== undefined, ...result, message: result.message.split(target.host).join(maskResolverHost(target.host)), reminder: ctmailReminder});
  else {
    out(io, `${result.outcome === 'connected' ? 'OK' : 'FAILED'}: ${result.message.split(target.host).join(maskResolverHost(target.host))} (${result.durationMs} ms)`);
    out(io, ctmailReminder);
  }
  return result;
}
