import {writeJson} from '../../commands/parse.js';
import type {CommandIo} from '../../commands/types.js';
import {checkProxy, ctmailReminder, type ProxyCheckResult} from '../proxy-check.js';
import {out} from './shared.js';

/** Runs the CONNECT check and prints the outcome (or JSON) with the knowledge base's reminder. */
export async function runCheck(io: CommandIo, proxy: {server: string; port: number; user?: string; password?: string}, target: {host: string; port: number}, timeoutMs: number, json = false): Promise<ProxyCheckResult> {
  if (!json) out(io, `Testing ${proxy.server}:${proxy.port}${proxy.user ? ` as ${proxy.user}` : ''} -> CONNECT ${target.host}:${target.port} ...`);
  const credentials = proxy.user !== undefined && proxy.password !== undefined ? {user: proxy.user, password: proxy.password} : undefined;
  const result = await checkProxy({proxyHost: proxy.server, proxyPort: proxy.port, target, credentials, timeoutMs});
  if (json) writeJson(io.stdout, {proxy: `${proxy.server}:${proxy.port}`, target: `${target.host}:${target.port}`, authenticated: credentials !== undefined, ...result, reminder: ctmailReminder});
  else {
    out(io, `${result.outcome === 'connected' ? 'OK' : 'FAILED'}: ${result.message} (${result.durationMs} ms)`);
    out(io, ctmailReminder);
  }
  return result;
}
